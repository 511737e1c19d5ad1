// Shell-style patterns on unit names, as systemd matches them with fnmatch(3).

/** fnmatch(3) for unit names: `*`, `?` and `[...]`. */
export function globMatcher(pattern: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const compiled = new RegExp(`^${re}$`);
  return (name) => compiled.test(name);
}
