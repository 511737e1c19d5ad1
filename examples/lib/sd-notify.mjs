// The examples' sd_notify(3) client: unitvisor's own (Node has no unix datagram sockets; unitvisor's
// native addon sends the datagram from this very process, so NotifyAccess=main accepts it).
// In your own project: import { notify } from 'unitvisor/sd-notify';
export { notify } from '../../dist/api/sd-notify.js';
