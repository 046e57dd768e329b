import { type FormEvent, useEffect, useState } from 'react';
import type { EphemeraClient } from '@app/client-sdk';
import { describeError } from '../errors';
import type { Friend } from '../types';
import { Avatar } from './Friends';

type Stage = { step: 'idle' } | { step: 'uploading'; percent: number } | { step: 'processing' } | { step: 'sending' };

export function Compose({
  client,
  friends,
  onSent,
}: {
  client: EphemeraClient;
  friends: Friend[];
  onSent: () => void;
}) {
  const [file, setFile] = useState<File>();
  const [preview, setPreview] = useState<string>();
  const [recipients, setRecipients] = useState<Set<string>>(new Set());
  const [viewSeconds, setViewSeconds] = useState(5);
  const [caption, setCaption] = useState('');
  const [stage, setStage] = useState<Stage>({ step: 'idle' });
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!file) return setPreview(undefined);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const toggle = (id: string) =>
    setRecipients((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || recipients.size === 0) return;
    setError(undefined);
    try {
      setStage({ step: 'uploading', percent: 0 });
      const media = await client.media.upload(file, {
        contentType: file.type || undefined,
        onProgress: ({ loaded, total }) =>
          setStage({ step: 'uploading', percent: total > 0 ? Math.round((100 * loaded) / total) : 0 }),
      });
      setStage({ step: 'processing' });
      await client.media.waitUntilSettled(media.id, { timeoutMs: 120000 });
      setStage({ step: 'sending' });
      await client.snaps.send({
        mediaId: media.id,
        recipientIds: [...recipients],
        viewSeconds,
        ...(caption.trim() ? { caption: caption.trim() } : {}),
      });
      setFile(undefined);
      setRecipients(new Set());
      setCaption('');
      setStage({ step: 'idle' });
      onSent();
    } catch (e) {
      setStage({ step: 'idle' });
      setError(describeError(e));
    }
  };

  const busy = stage.step !== 'idle';
  const isVideo = file?.type.startsWith('video/');
  return (
    <form className="stack" onSubmit={send}>
      <div className="card compose-media">
        {preview ? (
          isVideo ? (
            <video src={preview} className="preview" controls muted playsInline data-testid="compose-preview" />
          ) : (
            <img src={preview} className="preview" alt="Preview of the snap" data-testid="compose-preview" />
          )
        ) : (
          <p className="empty">Pick a photo or video, or take one.</p>
        )}
        <div className="row">
          <label className="button">
            Choose file
            <input
              type="file"
              accept="image/*,video/*"
              hidden
              data-testid="compose-file"
              onChange={(e) => setFile(e.target.files?.[0])}
              disabled={busy}
            />
          </label>
          <label className="button">
            Camera
            <input
              type="file"
              accept="image/*,video/*"
              capture="environment"
              hidden
              onChange={(e) => setFile(e.target.files?.[0])}
              disabled={busy}
            />
          </label>
        </div>
      </div>
      <div className="card">
        <h3>Send to</h3>
        {friends.length === 0 ? (
          <p className="empty">Add friends first: snaps go to friends only.</p>
        ) : (
          <ul className="list">
            {friends.map((f) => (
              <li key={f.id}>
                <label className="grow row">
                  <input
                    type="checkbox"
                    checked={recipients.has(f.id)}
                    onChange={() => toggle(f.id)}
                    data-testid={`recipient-${f.username}`}
                    disabled={busy}
                  />
                  <Avatar name={f.username} />
                  {f.displayName ?? f.username}
                </label>
              </li>
            ))}
          </ul>
        )}
        <label>
          View time: <strong>{viewSeconds} s</strong>
          <input
            type="range"
            min={1}
            max={10}
            value={viewSeconds}
            onChange={(e) => setViewSeconds(Number(e.target.value))}
            data-testid="compose-view-seconds"
            disabled={busy}
          />
        </label>
        <label>
          Caption <span className="hint">(optional, disappears with the snap)</span>
          <input value={caption} maxLength={250} onChange={(e) => setCaption(e.target.value)} disabled={busy} />
        </label>
      </div>
      {stage.step === 'uploading' && (
        <div
          className="progress"
          role="progressbar"
          aria-valuenow={stage.percent}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div style={{ width: `${stage.percent}%` }} />
          <span data-testid="upload-progress">Uploading {stage.percent}%</span>
        </div>
      )}
      {stage.step === 'processing' && <p className="notice">Processing…</p>}
      {stage.step === 'sending' && <p className="notice">Sending…</p>}
      {error && (
        <p className="error" role="alert" data-testid="compose-error">
          {error}
        </p>
      )}
      <button className="primary big" data-testid="compose-send" disabled={busy || !file || recipients.size === 0}>
        Send snap
      </button>
    </form>
  );
}
