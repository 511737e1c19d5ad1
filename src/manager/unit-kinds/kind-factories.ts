// Which UnitKind runs which unit type (systemd's unit_vtable[]): one row per type in UNIT_TYPES.
import type { UnitConfig, UnitType } from '../../unit/model.js';
import type { ProcessServices } from '../process-services.js';
import type { SocketHost, UnitKind } from '../unit-kind.js';
import { ServiceKind, type ServiceHost } from './service-kind.js';
import { SocketKind } from './socket-kind.js';
import { TargetKind } from './target-kind.js';
import { TimerKind } from './timer-kind.js';

/** Everything any unit kind may ask of the manager. */
export type KindHost = ServiceHost & SocketHost;

export type KindFactory = (config: UnitConfig, services: ProcessServices, host: KindHost) => UnitKind;

/** A unit that is not loaded gets an inert kind: it never runs, only reports inactive (dead). */
export const inertKind: KindFactory = (_config, _services, host) => new TargetKind(host);

const FACTORIES: Readonly<Record<UnitType, KindFactory>> = {
  service: (config, services, host) => (config.service ? new ServiceKind(config, config.service, services, host) : inertKind(config, services, host)),
  target: (_config, _services, host) => new TargetKind(host),
  socket: (config, services, host) => (config.socket ? new SocketKind(config, config.socket, services, host) : inertKind(config, services, host)),
  timer: (config, services, host) => (config.timer ? new TimerKind(config, config.timer, services, host) : inertKind(config, services, host)),
};

export function createUnitKind(config: UnitConfig, services: ProcessServices, host: KindHost): UnitKind {
  return config.loadState === 'loaded' ? FACTORIES[config.type](config, services, host) : inertKind(config, services, host);
}
