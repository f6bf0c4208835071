/**
 * Reads one HTTP/1.1 response off raw bytes, as much as the fuzz needs: its status, and whether it
 * is complete (by Content-Length, a chunked body's last chunk, or the connection's end).
 */

const HEAD_END = '\r\n\r\n';
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) /;

export type ResponseState = { state: 'partial' } | { state: 'complete'; status: number } | { state: 'unreadable'; why: string };

/**
 * The response in `bytes` so far; `ended` when the server closed the connection. Interim (1xx)
 * responses are skipped; the answer to a HEAD request has no body.
 */
export function readResponse(bytes: Buffer, ended: boolean, toHead = false): ResponseState {
  const headEnd = bytes.indexOf(HEAD_END);
  if (headEnd < 0) return ended && bytes.length > 0 ? { state: 'unreadable', why: 'the connection ended inside the response head' } : { state: 'partial' };
  const head = bytes.subarray(0, headEnd).toString('latin1');
  const status = STATUS_LINE.exec(head);
  if (!status) return { state: 'unreadable', why: `status line ${JSON.stringify(head.slice(0, 40))}` };
  const body = bytes.subarray(headEnd + HEAD_END.length);
  if (status[1]!.startsWith('1')) return readResponse(body, ended, toHead);
  if (toHead) return { state: 'complete', status: Number(status[1]) };
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  const complete = length ? body.length >= Number(length[1]) : /\r\ntransfer-encoding: *chunked/i.test(head) ? body.includes('0\r\n\r\n') : ended;
  return complete ? { state: 'complete', status: Number(status[1]) } : { state: 'partial' };
}
