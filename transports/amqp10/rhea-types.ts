import type { Connection, ConnectionOptions, Delivery, Receiver, Sender } from 'rhea';

/** The parts of rhea's link objects its typings leave out (the attach frames of both ends). */
export interface AttachFrames {
  local: { attach: { max_message_size?: number; source?: unknown; target?: unknown } };
  set_source(fields: { address: string }): void;
  set_target(fields: { address: string }): void;
  remote: {
    detach?: { error?: { condition?: string; description?: string } };
    attach?: { max_message_size?: number | bigint; source?: { address?: string } | null; target?: { address?: string } | null } };
}

export type RheaSender = Sender & AttachFrames;
export type RheaReceiver = Receiver & AttachFrames;
export type { Connection, Delivery };

/** Options every airlock connection runs with: explicit settlement and credit, no reconnect. */
export function connectionOptions(maxFrameBytes: number): ConnectionOptions {
  const options = {
    autoaccept: false,
    credit_window: 0,
    reconnect: false,
    max_frame_size: maxFrameBytes,
    // Receivers settle in mode `first`: accept()/reject()/release() settle; senders settle locally once the far side did.
    autosettle: true,
  };
  // rhea's typings make every connection a client one (host and port required); a server's needs neither.
  return options as unknown as ConnectionOptions;
}

