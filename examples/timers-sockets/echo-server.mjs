// The echo server echo.socket activates: it takes the listening socket from fd 3
// instead of opening a port itself (sd_listen_fds(3) in a few lines of Node).
import net from 'node:net';

const fds = Number(process.env.LISTEN_FDS ?? 0);
if (process.env.LISTEN_PID !== String(process.pid) || fds < 1) {
  console.error('echo-server: not socket-activated (start echo.socket, not echo.service)');
  process.exit(1);
}
const name = (process.env.LISTEN_FDNAMES ?? '').split(':')[0];
let served = 0;
net
  .createServer((socket) => {
    served++;
    console.log(`echo-server: connection ${served}`);
    socket.pipe(socket);
  })
  .listen({ fd: 3 }, () => console.log(`echo-server: serving the socket "${name}" it was handed as fd 3`));
