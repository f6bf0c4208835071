/**
 * The RabbitMQ mailbox's decoding path, through the real broker: frames are published with raw
 * amqplib into the queues of a node running the fuzz topology on the RabbitMQ transport (a
 * namespace of its own, deleted afterwards). Refusals are read back from the dead-letter queue
 * (`x-airlock-reason`), by the message id each frame was published under. Publishing is paced by
 * the node's consumer (fuzz/queue-pacer.ts), so every frame reaches the decoder: `reachedDecoder`.
 */
import amqp, { type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Packr } from 'msgpackr';
import { run, type RunningTopology } from '../../internal.ts';
import { connectRabbit, DEAD_LETTER_HEADERS, type RabbitTransport } from '../../transports/rabbitmq/index.ts';
import { envelopeShape } from '../envelope-shape.ts';
import { framesOf } from '../frames.ts';
import type { TargetFactory } from '../harness.ts';
import { QueuePacer } from '../queue-pacer.ts';
import type { Tally } from '../report.ts';
import { ACTOR_ADDRESSES, fuzzTopology } from '../topology.ts';

export const BROKER_URL = process.env.AIRLOCK_RABBIT_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const FRAME_ID = 'fuzz-frame-';
/** The run is over when queues stay empty and nothing moves for this many polls in a row. */
const QUIET_POLLS = 5;
const POLL_MS = 100;
const SETTLE_TIMEOUT_MS = 20_000;

const loose = new Packr({ useRecords: false, mapsAsObjects: true });

export const rabbitMailboxTarget: TargetFactory = {
  decoder: 'rabbitMailbox',
  async open(tally, seed) {
    const namespace = `airlock-fuzz-${process.pid}-${seed}-${Date.now().toString(36)}`;
    const transport = await connectRabbit({ url: BROKER_URL, namespace });
    const running = run(fuzzTopology, { transport, control: true });
    running.system.on('failed').subscribe((event) => tally.actorCrash(event.address, event.error));
    transport.events.subscribe((event) => {
      if (event.kind === 'disconnected') tally.count('connectionDrops');
    });
    await transport.ready();
    const raw = await amqp.connect(BROKER_URL);
    const channel = await raw.createConfirmChannel();
    const deadLetters = new DeadLetterCount(tally);
    await channel.consume(transport.deadLetterQueue, (message) => deadLetters.read(message), { noAck: true });
    let sent = 0;
    // Bounded mailboxes (x-max-length, reject-publish): publishing waits for the node to take what
    // it was sent, so every frame reaches the decoder instead of bouncing off a full queue.
    const pacer = new QueuePacer(channel);
    return {
      frames: framesOf(envelopeShape({ replyAddress: running.system.replyAddress, maxFrameBytes: transport.options.maxFrameBytes })),
      async send(frame) {
        const messageId = `${FRAME_ID}${sent++}`;
        await pacer.publish({ queue: transport.queueOf(routeOf(frame.bytes, sent)), bytes: Buffer.from(frame.bytes), messageId });
      },
      async settle() {
        await pacer.flush();
        await quiescence(channel, transport, running, deadLetters, tally);
        tally.accepted = tally.tried - deadLetters.refused - transport.stats.duplicates;
        tally.count('reachedDecoder', tally.tried);
        tally.count('republishedAfterMailboxFull', pacer.republished);
        tally.count('duplicates', transport.stats.duplicates);
      },
      async close() {
        await running.stop({ drainTimeoutMs: 0 });
        await transport.close();
        tally.count('strayQueues', await deleteNamespace(channel, namespace, transport));
        await raw.close();
      },
    };
  },
};

/** The queue a frame goes to: the actor it names when it names one, else one in turn. */
function routeOf(bytes: Uint8Array, serial: number): string {
  let to: unknown;
  try {
    to = (loose.unpack(bytes) as unknown[])[2];
  } catch {
    // Undecodable frames still need a queue: any mailbox must refuse them the same way.
  }
  return ACTOR_ADDRESSES.find((address) => address === to) ?? ACTOR_ADDRESSES[serial % ACTOR_ADDRESSES.length];
}

/** Dead letters of the fuzz's own frames, by reason; others (the node's replies gone astray) counted apart. */
class DeadLetterCount {
  seen = 0;
  /** A refusal whose dead-letter copy was not confirmed is delivered, and refused, again: counted once. */
  private readonly refusedIds = new Set<string>();

  get refused(): number {
    return this.refusedIds.size;
  }

  constructor(private readonly tally: Tally) {}

  read(message: ConsumeMessage | null): void {
    if (message === null) return;
    this.seen++;
    const reason = String(message.properties.headers?.[DEAD_LETTER_HEADERS.reason]);
    const id = String(message.properties.messageId);
    if (!id.startsWith(FRAME_ID)) return this.tally.count(`otherDeadLetters ${reason}`);
    if (this.refusedIds.has(id)) return this.tally.count('deadLetteredTwice');
    // A frame that crashed its actor maxAttempts times did reach it: counted as a crash, not a refusal.
    if (reason === 'ACTOR_CRASHED') return this.tally.count('deadLetteredAfterCrash');
    this.refusedIds.add(id);
    this.tally.refused(reason);
  }
}

async function quiescence(channel: ConfirmChannel, transport: RabbitTransport, running: RunningTopology, deadLetters: DeadLetterCount, tally: Tally) {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let last = '';
  for (let quiet = 0; quiet < QUIET_POLLS; ) {
    if (Date.now() > deadline) return tally.count('unsettled');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    let waiting = 0;
    for (const address of ACTOR_ADDRESSES) waiting += (await channel.checkQueue(transport.queueOf(address))).messageCount;
    const handled = running.status().map((root) => JSON.stringify(root)).join();
    const now = `${waiting} ${deadLetters.seen} ${transport.stats.refused} ${transport.stats.duplicates} ${tally.actorCrashes} ${handled}`;
    quiet = waiting === 0 && now === last ? quiet + 1 : 0;
    last = now;
  }
}

const run$ = promisify(execFile);

/** Deletes every queue of the namespace (those a hostile `replyTo` made the node declare too) and its exchange. */
async function deleteNamespace(channel: ConfirmChannel, namespace: string, transport: RabbitTransport): Promise<number> {
  const expected = new Set([...ACTOR_ADDRESSES.map((address) => transport.queueOf(address)), transport.deadLetterQueue]);
  const { stdout } = await run$('rabbitmqctl', ['list_queues', 'name', '-q', '--no-table-headers']);
  // The node's own reply queue goes with its connection; anything else unexpected is a stray.
  const queues = stdout.split('\n').filter((name) => name.startsWith(`${namespace}:`) && !name.startsWith(`${namespace}:$replies/`));
  for (const queue of new Set([...queues, ...expected])) await channel.deleteQueue(queue);
  await channel.deleteExchange(namespace);
  return queues.filter((queue) => !expected.has(queue)).length;
}
