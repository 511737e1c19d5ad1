// Accept=yes: one NAME@INSTANCE.service per connection, named and described as systemd names them
// (socket.c socket_enter_running() with a connection, instance_from_socket(), service_set_socket_fd()).
import type { ActiveState } from '../../unit/active-state.js';
import type { SocketSection } from '../../unit/model.js';
import { closeFd } from '../../process/listen-socket.js';
import { loadNative } from '../../process/native.js';
import type { SocketHost } from '../unit-kind.js';

export class AcceptedConnections {
  /** NAccepted=: every connection accepted since the manager started. */
  accepted = 0;
  /** NRefused=: connections turned away (over MaxConnections=, or past the trigger limit). */
  refused = 0;
  /** Instance unit → the connection it serves (NConnections= counts them). */
  private readonly open = new Map<string, number>();

  constructor(
    private readonly socketId: string,
    private readonly cfg: SocketSection,
    private readonly host: SocketHost,
  ) {}

  get count(): number {
    return this.open.size;
  }

  /** The connection handed to `unit`, as its only fd ($LISTEN_FDNAMES=connection). */
  fdFor(unit: string): number | undefined {
    return this.open.get(unit);
  }

  /** Accepts every waiting connection and starts an instance for each, until `admit()` says no more. */
  acceptAll(listenFd: number, admit: () => boolean): void {
    const native = loadNative();
    for (let conn = native.acceptConnection(listenFd, this.accepted); conn !== null; conn = native.acceptConnection(listenFd, this.accepted)) {
      if (!admit()) {
        this.refused++;
        closeFd(conn.fd);
        return;
      }
      if (this.open.size >= this.cfg.maxConnections) {
        this.host.log('warning', `Too many incoming connections (${this.open.size}), dropping connection.`);
        this.refused++;
        closeFd(conn.fd);
        continue;
      }
      const unit = `${this.socketId.replace(/\.socket$/, '')}@${conn.instance}.service`;
      this.open.set(unit, conn.fd);
      const refusal = this.host.startInstance(unit, conn.peer);
      this.accepted++;
      if (refusal !== undefined) {
        this.host.log('warning', `Failed to queue service startup job (Maybe the service file is missing or not a service unit?): ${refusal}`);
        this.release(unit);
      }
    }
  }

  /** An instance ended: its connection closes here (the service's own copy closed with its processes). */
  instanceChanged(unit: string, state: ActiveState): void {
    if (state === 'inactive' || state === 'failed') this.release(unit);
  }

  private release(unit: string): void {
    const fd = this.open.get(unit);
    if (fd === undefined) return;
    this.open.delete(unit);
    closeFd(fd);
  }

  closeAll(): void {
    for (const unit of [...this.open.keys()]) this.release(unit);
  }
}
