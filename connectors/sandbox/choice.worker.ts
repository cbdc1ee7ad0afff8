/**
 * The choice worker's thread (engine/simulation/choice-link.ts): a replica of the sandbox's simulator, built
 * from the same scenario and options, reading the main simulator's shared legs and fare values, answers each
 * day's requests ahead of the main thread until told to stop. Started by choice-worker.ts.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { ChoiceLink, serveChoices, type ChoiceBuffers } from '../../engine/simulation/choice-link';
import type { ScenarioSpec } from '../../engine/simulation/scenario';
import { MarketSimulator, type SimulatorOptions } from '../../engine/simulation/simulator';

const d = workerData as { spec: ScenarioSpec; options: SimulatorOptions; buffers: ChoiceBuffers; port: MessagePort };
const replica = new MarketSimulator(d.spec, d.options);
const link = new ChoiceLink(d.buffers);
replica.adoptShared(d.buffers);
serveChoices(link, replica, () => receiveMessageOnPort(d.port)?.message as ChoiceBuffers | undefined);
d.port.close();
