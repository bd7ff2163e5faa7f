import { useState, type ReactNode } from 'react';
import { problemMessage } from './lib/problems.js';

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div role="alert" className="error">
      <p>{problemMessage(error)}</p>
      {retry !== undefined && (
        <button type="button" className="secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What ties an input to its error: spread onto the input. */
export interface FieldAria {
  readonly 'aria-invalid'?: true;
  readonly 'aria-describedby'?: string;
}

/** A labelled input with its error beside it, tied to the input for screen readers. */
export function Field({ id, label, error, children }: { id: string; label: string; error: string | undefined; children: (aria: FieldAria) => ReactNode }) {
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(error === undefined ? {} : { 'aria-invalid': true, 'aria-describedby': errorId })}
      {error !== undefined && (
        <span id={errorId} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * Previous and next page of a list the API pages forward only: `cursors` are the cursors of the
 * pages before this one (the last is this page's), `nextCursor` the API's next_cursor.
 */
export function Pager({ cursors, setCursors, nextCursor }: { cursors: number[]; setCursors: (cursors: number[]) => void; nextCursor: number | null }) {
  return (
    <div className="pager">
      <button type="button" className="secondary" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
        Previous page
      </button>
      <button
        type="button"
        className="secondary"
        disabled={nextCursor === null}
        onClick={() => {
          if (nextCursor !== null) setCursors([...cursors, nextCursor]);
        }}
      >
        Next page
      </button>
    </div>
  );
}

/** A secret the server shows once (a new token, a webhook secret), with its copy button. */
export function ShownOnce({ what, value, onDone }: { what: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div className="issued" role="status">
      <p>
        <strong>New {what}</strong> — copy it now: it is shown only this once.
      </p>
      <code className="token" aria-label={`New ${what}`}>
        {value}
      </code>
      <div className="row">
        <button type="button" onClick={() => void copy()}>
          Copy {what}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
        {copied === 'yes' && <span>Copied.</span>}
        {copied === 'failed' && <span className="error">The browser refused to copy: select the {what} and copy it.</span>}
      </div>
    </div>
  );
}
