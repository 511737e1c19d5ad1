// The examples' sd_notify(3) client: unitvisor's own (Node has no unix datagram sockets; unitvisor's
// native addon sends the datagram from this very process, so NotifyAccess=main accepts it). Inside this
// repository the name resolves to the package itself; in the Docker image, to the installed package.
export { notify } from 'unitvisor/sd-notify';
