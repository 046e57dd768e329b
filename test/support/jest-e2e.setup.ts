// E2E tests talk to real services and processes; each one still bounds its own waits.
jest.setTimeout(60000);
