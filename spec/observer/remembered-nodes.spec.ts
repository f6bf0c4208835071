import assert from 'node:assert/strict';
import { NODE_MEMORY_MS, ROLL_CALL_INTERVAL_MS } from '../../bin/observer/observer-limits.ts';
import { rememberedNodes } from '../../bin/observer/remembered-nodes.ts';

/**
 * The observer's node list over the broker, on a clock the spec moves: a roll call every
 * ROLL_CALL_INTERVAL_MS, in the background once a node is known, and a node kept for
 * NODE_MEMORY_MS after its last answer.
 */
describe('observer: the nodes remembered from roll calls', () => {
  let now: number;
  let calls: number;
  /** What each roll call answers, in turn; an Error rejects that call. */
  let answers: (string[] | Error)[];
  let list: () => Promise<string[]>;

  beforeEach(() => {
    now = 0;
    calls = 0;
    answers = [];
    list = rememberedNodes(async () => {
      const answer = answers[calls++] ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    }, () => now);
  });

  /** Lets a roll call started in the background settle. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('waits for the first roll call, then answers from memory until the interval is over', async () => {
    answers = [['edge', 'core']];
    assert.deepEqual(await list(), ['core', 'edge']);
    now = ROLL_CALL_INTERVAL_MS - 1;
    assert.deepEqual(await list(), ['core', 'edge']);
    assert.equal(calls, 1);
  });

  it('calls again in the background once the interval is over: a node that joins shows on the next reading', async () => {
    answers = [['edge'], ['edge', 'keyholder']];
    await list();
    now = ROLL_CALL_INTERVAL_MS;
    assert.deepEqual(await list(), ['edge'], 'the polls go on with what is known while the call runs');
    await settle();
    assert.deepEqual(await list(), ['edge', 'keyholder']);
    assert.equal(calls, 2);
  });

  it('keeps a node that missed a roll call until NODE_MEMORY_MS after its last answer, then forgets it', async () => {
    answers = [['core', 'edge'], ['edge'], ['edge'], ['edge'], ['edge']];
    await list();
    for (now = ROLL_CALL_INTERVAL_MS; now <= NODE_MEMORY_MS; now += ROLL_CALL_INTERVAL_MS) {
      await list();
      await settle();
      assert.deepEqual(await list(), ['core', 'edge'], `at ${now} ms core is still polled (shown down if it is)`);
    }
    now = NODE_MEMORY_MS + 1;
    assert.deepEqual(await list(), ['edge']);
  });

  it('keeps what it knows when a roll call fails (the broker away)', async () => {
    answers = [['edge'], new Error('broker unreachable')];
    await list();
    now = ROLL_CALL_INTERVAL_MS;
    await list();
    await settle();
    assert.deepEqual(await list(), ['edge']);
  });

  it('waits for each call while it knows no node, but never runs two at once', async () => {
    let release!: (nodes: string[]) => void;
    let started = 0;
    const slow = rememberedNodes(() => {
      started++;
      return new Promise<string[]>((resolve) => (release = resolve));
    }, () => now);
    const first = slow();
    now = ROLL_CALL_INTERVAL_MS;
    const second = slow();
    assert.equal(started, 1, 'the second reading joins the call under way');
    release(['edge']);
    assert.deepEqual(await first, ['edge']);
    assert.deepEqual(await second, ['edge']);
  });
});
