// What an offline verb returns: the text systemctl would print on each stream, and its exit code.
export interface OfflineResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}
