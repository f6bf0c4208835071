/**
 * The orders app as one topology with two nodes:
 *   edge  the HTTP intake and the validator (a machine that throttles bursts and, on one poison
 *         input, crashes)
 *   core  the ledger and `core/customers`, a dynamic supervisor with one worker per customer
 * In one process (`run(ordersTopology())`), or one node per process over RabbitMQ:
 *   npx airlock run examples/orders/topology.ts --node core --amqp amqp://127.0.0.1 --namespace orders
 *   npx airlock run examples/orders/topology.ts --node edge --amqp amqp://127.0.0.1 --namespace orders
 * The intake starts and stops customers' workers on the core node through its control actor, so
 * both processes must share a control key (run them from the same directory: `.airlock/control.key`).
 */
import { child, defineTopology, dynamicSupervisor, supervisor, type Topology } from '../../index.ts';
import { customerWorker, ledger } from './core.ts';
import { intake } from './intake.ts';
import { validator, type ValidatorConfig } from './validator.ts';

export interface OrdersOptions {
  /** Where the intake listens (127.0.0.1:8080 unless given; port 0 picks a free one). */
  host?: string;
  port?: number;
  throttle?: Partial<ValidatorConfig>;
}

export function ordersTopology(options: OrdersOptions = {}): Topology {
  return defineTopology('orders', {
    edge: supervisor({
      strategy: 'one_for_one',
      intensity: { maxRestarts: 5, withinMs: 10_000 },
      children: [
        child('validator', validator, { config: options.throttle ?? {} }),
        child('intake', intake, { config: { host: options.host, port: options.port } }),
      ],
    }),
    core: supervisor({
      children: [
        child('ledger', ledger),
        // Workers are `transient`: restarted if they crash, gone for good once stopped.
        child('customers', dynamicSupervisor({ child: customerWorker, restart: 'transient', maxChildren: 1_000 })),
      ],
    }),
  });
}

/** ORDERS_HOST, ORDERS_PORT, and the validator's ORDERS_BURST, ORDERS_WINDOW_MS, ORDERS_COOL_MS, ORDERS_MAX_CENTS. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): OrdersOptions {
  const number = (name: string) => (env[name] === undefined ? undefined : Number(env[name]));
  const throttle = { burst: number('ORDERS_BURST'), windowMs: number('ORDERS_WINDOW_MS'), coolMs: number('ORDERS_COOL_MS'), maxCents: number('ORDERS_MAX_CENTS') };
  return {
    host: env.ORDERS_HOST,
    port: number('ORDERS_PORT'),
    throttle: Object.fromEntries(Object.entries(throttle).filter(([, value]) => value !== undefined)),
  };
}

export default ordersTopology(optionsFromEnv(process.env));
