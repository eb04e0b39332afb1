/** The commit a measurement was made from, and whether the working tree had changes. */
import { execFileSync } from 'node:child_process';

export function gitState(): { commit: string; dirty: boolean } | null {
  try {
    const git = (args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git(['rev-parse', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
  } catch {
    return null;
  }
}
