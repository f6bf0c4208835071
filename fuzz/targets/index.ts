import type { TargetFactory } from '../harness.ts';
import { adminFramesTarget } from './admin-frames.ts';
import { amqp10ConnectTarget } from './amqp10-connect.ts';
import { amqp10ListenTarget } from './amqp10-listen.ts';
import { ampRegistrarTarget } from './amp-registrar.ts';
import { deliverFrameTarget } from './deliver-frame.ts';
import { dnsRegistrarTarget } from './dns-registrar.ts';
import { httpRegistrarTarget } from './http-registrar.ts';
import { rabbitMailboxTarget } from './rabbit-mailbox.ts';
import { rendezvousEndpointTarget } from './rendezvous-endpoint.ts';

/** Every decoder `npm run fuzz` covers, in the order it runs them. */
export const TARGETS: readonly TargetFactory[] = [deliverFrameTarget, rabbitMailboxTarget, adminFramesTarget, httpRegistrarTarget, ampRegistrarTarget, dnsRegistrarTarget, rendezvousEndpointTarget, amqp10ListenTarget, amqp10ConnectTarget];
