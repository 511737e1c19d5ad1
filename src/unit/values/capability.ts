// Linux capability names and sets as systemd parses and prints them (capability-util.c, cap-list.c; capabilities(7)).

/** capability number → name, CAP_CHOWN (0) … CAP_CHECKPOINT_RESTORE (40). */
export const CAPABILITY_NAMES: readonly string[] = [
  'cap_chown', 'cap_dac_override', 'cap_dac_read_search', 'cap_fowner', 'cap_fsetid', 'cap_kill', 'cap_setgid',
  'cap_setuid', 'cap_setpcap', 'cap_linux_immutable', 'cap_net_bind_service', 'cap_net_broadcast', 'cap_net_admin',
  'cap_net_raw', 'cap_ipc_lock', 'cap_ipc_owner', 'cap_sys_module', 'cap_sys_rawio', 'cap_sys_chroot', 'cap_sys_ptrace',
  'cap_sys_pacct', 'cap_sys_admin', 'cap_sys_boot', 'cap_sys_nice', 'cap_sys_resource', 'cap_sys_time',
  'cap_sys_tty_config', 'cap_mknod', 'cap_lease', 'cap_audit_write', 'cap_audit_control', 'cap_setfcap',
  'cap_mac_override', 'cap_mac_admin', 'cap_syslog', 'cap_wake_alarm', 'cap_block_suspend', 'cap_audit_read',
  'cap_perfmon', 'cap_bpf', 'cap_checkpoint_restore',
];

/** Every capability systemd knows: the bounding set's default ("all"). */
export const CAP_ALL: bigint = (1n << BigInt(CAPABILITY_NAMES.length)) - 1n;

/** capability_from_name(): a name in any case, or a number below 64. */
function capabilityFromName(word: string): number | undefined {
  const i = CAPABILITY_NAMES.indexOf(word.toLowerCase());
  if (i >= 0) return i;
  return /^\d+$/.test(word) && Number(word) < 64 ? Number(word) : undefined;
}

/** capability_set_from_string(): unknown names are skipped, as systemd does (it only logs them at debug level). */
export function parseCapabilitySet(words: readonly string[]): bigint {
  let set = 0n;
  for (const word of words) {
    const cap = capabilityFromName(word);
    if (cap !== undefined) set |= 1n << BigInt(cap);
  }
  return set;
}

/** capability_set_to_string(): lower-case names in number order, space-separated. */
export function formatCapabilitySet(set: bigint): string {
  const names: string[] = [];
  for (let cap = 0; cap < 64; cap++) if ((set >> BigInt(cap)) & 1n) names.push(CAPABILITY_NAMES[cap] ?? String(cap));
  return names.join(' ');
}

/** SecureBits= names, bit numbers of linux/securebits.h. */
export const SECURE_BITS: Readonly<Record<string, number>> = {
  noroot: 0,
  'noroot-locked': 1,
  'no-setuid-fixup': 2,
  'no-setuid-fixup-locked': 3,
  'keep-caps': 4,
  'keep-caps-locked': 5,
};

/** secure_bits_from_string(): unknown words are skipped. */
export function parseSecureBits(words: readonly string[]): number {
  let bits = 0;
  for (const word of words) {
    const bit = SECURE_BITS[word];
    if (bit !== undefined) bits |= 1 << bit;
  }
  return bits;
}

/** secure_bits_to_string(). */
export function formatSecureBits(bits: number): string {
  return Object.entries(SECURE_BITS)
    .filter(([, bit]) => bits & (1 << bit))
    .map(([name]) => name)
    .join(' ');
}
