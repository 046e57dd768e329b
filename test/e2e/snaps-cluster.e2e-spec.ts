import { join } from 'node:path';
import sharp from 'sharp';
import { mediaSamplesDir } from '../fixtures/samples';
import { testConfig } from '../support/config';
import { befriend, client, registerUser } from '../support/http';
import { uploadDirect, uploadMultipart } from '../support/media';
import { pollUntil } from '../support/poll';
import { ApiNode, RunningProcess, startApiNodes, startWorkerProcess } from '../support/processes';
import { connectSocket, EventLog } from '../support/sockets';

/**
 * The product's main path with two API processes and one worker, as deployed:
 * Alice on node A sends a photo and a video snap to Bob (a device on each node)
 * and Carol (offline).
 */
describe('snaps across two API nodes and a worker', () => {
  testConfig(); // validates the environment up front
  const nodes: ApiNode[] = [];
  let worker: RunningProcess;
  const sockets: EventLog[] = [];

  beforeAll(async () => {
    nodes.push(...(await startApiNodes(2, { SNAP_URL_TTL_SECONDS: '2' })));
    worker = await startWorkerProcess();
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([...nodes.map((n) => n.proc.stop()), worker?.stop()]);
  });

  const open = async (url: string, token: string) => {
    const socket = await connectSocket(url, token);
    sockets.push(socket);
    return socket;
  };

  it('delivers to every device, opens exactly once, and tells the sender', async () => {
    const [a, b] = nodes;
    const callA = client(a.url);
    const callB = client(b.url);
    const alice = await registerUser(callA, 'alice');
    const bob = await registerUser(callA, 'bob');
    const carol = await registerUser(callB, 'carol');
    await befriend(callA, alice, bob);
    await befriend(callB, alice, carol);
    const bobPhone = await callB('POST', '/v1/auth/login', {
      body: { username: bob.username, password: bob.password },
    });

    const aliceOnA = await open(a.url, alice.accessToken);
    const bobOnA = await open(a.url, bob.accessToken);
    const bobOnB = await open(b.url, bobPhone.body.accessToken);

    const dir = mediaSamplesDir();
    // The photo is sent while it may still be processing; the video after a direct upload.
    const photo = await uploadMultipart(a.url, alice.accessToken, join(dir, 'photo-12mp-exif-gps-orient6.jpg'));
    expect(photo.status).toBe(202);
    const photoSnap = await callB('POST', '/v1/snaps', {
      token: alice.accessToken,
      body: { mediaId: photo.body.id, recipientIds: [bob.id, carol.id], viewSeconds: 5, caption: 'sunset 🌅' },
    });
    expect(photoSnap.status).toBe(201);
    expect(photoSnap.body).toEqual({
      id: expect.any(String),
      sentAt: expect.any(String),
      expiresAt: expect.any(String),
      recipients: expect.arrayContaining([
        { userId: bob.id, state: expect.stringMatching(/^(pending|delivered)$/) },
        { userId: carol.id, state: expect.stringMatching(/^(pending|delivered)$/) },
      ]),
    });
    const video = await uploadDirect(callA, alice.accessToken, join(dir, 'video-h264-5s-rot90-gps.mp4'));
    expect(video.status).toBe(202);
    const videoSnap = await callA('POST', '/v1/snaps', {
      token: alice.accessToken,
      body: { mediaId: video.body.id, recipientIds: [bob.id, carol.id] },
    });
    expect(videoSnap.status).toBe(201);

    for (const device of [bobOnA, bobOnB]) {
      for (const snap of [photoSnap.body, videoSnap.body]) {
        const event = await device.next('snap:received', (e: { id: string }) => e.id === snap.id, 60000);
        expect(event).toEqual({
          id: snap.id,
          sender: { id: alice.id, username: alice.username },
          kind: snap.id === photoSnap.body.id ? 'image' : 'video',
          viewSeconds: snap.id === photoSnap.body.id ? 5 : 10,
          sentAt: snap.sentAt,
          expiresAt: snap.expiresAt,
        });
      }
    }
    // Events and lists carry no URL and no storage key.
    const everything = JSON.stringify([bobOnA.events, bobOnB.events, aliceOnA.events]);
    expect(everything).not.toMatch(/https?:|uploads\/|media\//);

    // Carol was offline: her inbox has both, newest first.
    const inbox = await callB('GET', '/v1/snaps/inbox', { token: carol.accessToken });
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((s: { id: string }) => s.id)).toEqual([videoSnap.body.id, photoSnap.body.id]);
    expect(inbox.body.items[1]).toEqual({
      id: photoSnap.body.id,
      sender: { id: alice.id, username: alice.username },
      kind: 'image',
      viewSeconds: 5,
      sentAt: photoSnap.body.sentAt,
      expiresAt: photoSnap.body.expiresAt,
      state: 'delivered',
    });
    expect(JSON.stringify(inbox.body)).not.toMatch(/https?:|uploads\/|media\//);

    // Bob opens the photo from both devices on both nodes at the same instant.
    const opens = await Promise.all([
      callA('POST', `/v1/snaps/${photoSnap.body.id}/open`, { token: bob.accessToken }),
      callB('POST', `/v1/snaps/${photoSnap.body.id}/open`, { token: bobPhone.body.accessToken }),
    ]);
    expect(opens.map((o) => o.status).sort()).toEqual([200, 410]);
    const won = opens.find((o) => o.status === 200)!;
    const lost = opens.find((o) => o.status === 410)!;
    expect(lost.body.error.code).toBe('SNAP_ALREADY_OPENED');
    expect(won.body).toMatchObject({
      id: photoSnap.body.id,
      kind: 'image',
      viewSeconds: 5,
      caption: 'sunset 🌅',
      media: { contentType: 'image/jpeg', width: 1920, height: 1440, url: expect.any(String) },
    });
    expect(Date.parse(won.body.media.expiresAt) - Date.now()).toBeLessThanOrEqual(60000);

    const opened = await aliceOnA.next('snap:opened', (e: { id: string }) => e.id === photoSnap.body.id);
    expect(opened).toEqual({ id: photoSnap.body.id, recipientId: bob.id, openedAt: expect.any(String) });

    // The URL serves the processed media, then stops working.
    const served = await fetch(won.body.media.url);
    expect(served.status).toBe(200);
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect({ width: meta.width, height: meta.height, exif: meta.exif }).toEqual({
      width: 1920,
      height: 1440,
      exif: undefined,
    });
    await pollUntil(
      () => fetch(won.body.media.url).then((r) => r.status),
      (status) => status === 403,
      { timeoutMs: 10000, what: 'presigned URL to expire' },
    );

    expect((await callA('POST', `/v1/snaps/${photoSnap.body.id}/screenshot`, { token: bob.accessToken })).status).toBe(
      204,
    );
    const shot = await aliceOnA.next('snap:screenshot', (e: { id: string }) => e.id === photoSnap.body.id);
    expect(shot).toEqual({ id: photoSnap.body.id, recipientId: bob.id, at: expect.any(String) });

    // The video: viewSeconds is at least its own length; a poster comes with it.
    const openedVideo = await callB('POST', `/v1/snaps/${videoSnap.body.id}/open`, { token: carol.accessToken });
    expect(openedVideo.status).toBe(200);
    expect(openedVideo.body).toMatchObject({
      kind: 'video',
      viewSeconds: 10,
      media: { contentType: 'video/mp4', width: 720, height: 1280, durationMs: expect.any(Number) },
      poster: { contentType: 'image/jpeg', url: expect.any(String) },
    });

    const sent = await callA('GET', '/v1/snaps/sent', { token: alice.accessToken });
    const photoReceipt = sent.body.items.find((s: { id: string }) => s.id === photoSnap.body.id);
    const bobRow = photoReceipt.recipients.find((r: { userId: string }) => r.userId === bob.id);
    expect(bobRow).toMatchObject({
      state: 'opened',
      openedAt: expect.any(String),
      screenshotAt: expect.any(String),
    });
    const carolRow = photoReceipt.recipients.find((r: { userId: string }) => r.userId === carol.id);
    expect(carolRow).toMatchObject({ state: 'delivered', openedAt: null, screenshotAt: null });
    expect(JSON.stringify(sent.body)).not.toMatch(/https?:|uploads\/|media\//);

    // Opened snaps leave the inbox.
    const bobInbox = await callA('GET', '/v1/snaps/inbox', { token: bob.accessToken });
    expect(bobInbox.body.items.map((s: { id: string }) => s.id)).toEqual([videoSnap.body.id]);
  });
});
