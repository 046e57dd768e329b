import { connectionSettings } from './database.service';

describe('connectionSettings', () => {
  const url = 'postgres://u:p@127.0.0.1:5432/db';

  it('ends transactions idle longer than a purge can wait on storage, and probes idle peers', () => {
    const { connectionString, options } = connectionSettings({ DATABASE_URL: url, S3_TIMEOUT_MS: 30_000 });
    expect(connectionString).toBe(url);
    expect(options).toContain('-c idle_in_transaction_session_timeout=120000');
    expect(options).toContain('-c tcp_keepalives_idle=60');
    expect(connectionSettings({ DATABASE_URL: url, S3_TIMEOUT_MS: 1000 }).options).toContain(
      '-c idle_in_transaction_session_timeout=60000',
    );
  });

  it('keeps the options the URL gives, ahead of ours, and takes them out of the URL', () => {
    const { connectionString, options } = connectionSettings({
      DATABASE_URL: `${url}?sslmode=disable&options=-c%20search_path%3Dapp`,
      S3_TIMEOUT_MS: 30_000,
    });
    expect(connectionString).toBe(`${url}?sslmode=disable`);
    expect(options.startsWith('-c search_path=app -c idle_in_transaction_session_timeout=')).toBe(true);
  });
});
