// systemd.generator(7): where generators live, where their output goes in the search path, and which of
// systemd's own generators unitvisor runs (the others need systemd itself).

/** Generator directories, highest priority first: a name in an earlier one hides the same name later. */
export const SYSTEM_GENERATOR_DIRS: readonly string[] = [
  '/run/systemd/system-generators',
  '/etc/systemd/system-generators',
  '/usr/local/lib/systemd/system-generators',
  '/lib/systemd/system-generators',
  '/usr/lib/systemd/system-generators',
];

export interface GeneratorOutput {
  /** argv[1]: normal priority, between /run/systemd/system and the vendor directories. */
  readonly normal: string;
  /** argv[2]: before everything, /etc/systemd/system included. */
  readonly early: string;
  /** argv[3]: after everything. */
  readonly late: string;
}

/** /run/systemd/generator, generator.early, generator.late below `root` (/run/systemd). */
export const generatorOutput = (root: string): GeneratorOutput => ({ normal: `${root}/generator`, early: `${root}/generator.early`, late: `${root}/generator.late` });

/**
 * The search path with the three output folders in systemd's places (lookup_paths_init()): early first,
 * normal after the last /etc or /run configuration folder, late last.
 */
export function withGeneratorOutput(unitPath: readonly string[], out: GeneratorOutput): string[] {
  const configuration = unitPath.filter((dir) => dir.startsWith('/etc/') || dir.startsWith('/run/'));
  const last = configuration.at(-1);
  const at = last === undefined ? 0 : unitPath.indexOf(last) + 1;
  return [out.early, ...unitPath.slice(0, at), out.normal, ...unitPath.slice(at), out.late];
}

/**
 * systemd's own generators that only make sense with systemd itself: they write mount, swap,
 * cryptsetup or console units for a machine's block devices and consoles, which a container has not
 * and unitvisor does not run. Every other generator (packages' ones like postgresql-generator,
 * systemd-sysv-generator, systemd-rc-local-generator, ...) runs.
 */
export const SKIPPED_GENERATORS: Readonly<Record<string, string>> = {
  'systemd-fstab-generator': 'mount and swap units',
  'systemd-gpt-auto-generator': 'mount units for GPT partitions',
  'systemd-cryptsetup-generator': 'encrypted block devices',
  'systemd-integritysetup-generator': 'dm-integrity block devices',
  'systemd-veritysetup-generator': 'dm-verity block devices',
  'systemd-hibernate-resume-generator': 'resume from hibernation',
  'systemd-getty-generator': 'gettys on kernel consoles',
  'systemd-bless-boot-generator': 'boot counting',
  'systemd-zram-generator': 'zram swap devices',
  'zram-generator': 'zram swap devices',
};

export interface GeneratorPlan {
  /** Executables to run, by name, from the highest-priority directory holding each. */
  readonly run: readonly string[];
  /** Skipped by the rule above: name and why. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/** `listing` maps each directory to its executable entries; the first directory naming an entry wins. */
export function planGenerators(dirs: readonly string[], listing: (dir: string) => readonly string[]): GeneratorPlan {
  const seen = new Set<string>();
  const run: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const dir of dirs) {
    for (const name of [...listing(dir)].sort()) {
      if (seen.has(name)) continue;
      seen.add(name);
      const reason = SKIPPED_GENERATORS[name];
      if (reason !== undefined) skipped.push({ name, reason });
      else run.push(`${dir}/${name}`);
    }
  }
  return { run, skipped };
}
