import { buildHandlerRegistry, DiscoveredHandler, HandlerRegistryError } from './handler-registry';
import { JobName } from './job-catalogue';

const run = async () => undefined;
const handler = (job: string, owner = 'A'): DiscoveredHandler => ({ job, owner, run });
const catalogue = ['storage.delete'] as JobName[];

describe('buildHandlerRegistry', () => {
  it('maps every catalogue job to its handler', () => {
    const registry = buildHandlerRegistry(catalogue, [handler('storage.delete')]);
    expect([...registry.keys()]).toEqual(['storage.delete']);
  });

  it('refuses a catalogue job without a handler', () => {
    expect(() => buildHandlerRegistry(catalogue, [])).toThrow(HandlerRegistryError);
    expect(() => buildHandlerRegistry(catalogue, [])).toThrow('job storage.delete has no handler');
  });

  it('refuses two handlers for one job', () => {
    expect(() =>
      buildHandlerRegistry(catalogue, [handler('storage.delete', 'A'), handler('storage.delete', 'B')]),
    ).toThrow('job storage.delete has two handlers: A and B');
  });

  it('refuses a handler for a job the catalogue does not know', () => {
    expect(() => buildHandlerRegistry(catalogue, [handler('storage.delete'), handler('nope', 'C')])).toThrow(
      'C handles unknown job nope',
    );
  });
});
