// The README's example, kept runnable: `npx tsx examples/hello.ts`.
import { z } from 'zod';
import { child, defineActor, defineProtocol, defineTopology, run, supervisor } from '../index.ts';

const Counter = defineProtocol('counter', {
  add: { body: z.object({ by: z.number().int() }) },          // tell only
  total: { body: z.object({}), reply: z.number() },           // may be asked; the reply is typed
});

const counter = defineActor({
  protocol: Counter,
  setup() {                       // runs once per incarnation: state is fresh after a restart
    let total = 0;
    return { add: ({ by }) => void (total += by), total: () => total };
  },
});

const Greeter = defineProtocol('greeter', { greet: { body: z.object({ name: z.string() }), reply: z.string() } });
const greeter = defineActor({
  protocol: Greeter,
  setup: (ctx) => ({
    async greet({ name }) {
      await ctx.ref('app/counter', Counter).tell('add', { by: 1 });
      return `hello ${name}`;
    },
  }),
});

const app = defineTopology('hello', {
  app: supervisor({ strategy: 'rest_for_one', children: [child('counter', counter), child('greeter', greeter)] }),
});
const running = run(app);
console.log(await running.ref('app/greeter', Greeter).ask('greet', { name: 'ada' }));   // "hello ada"
console.log(await running.ref('app/counter', Counter).ask('total', {}));               // 1
await running.stop();
