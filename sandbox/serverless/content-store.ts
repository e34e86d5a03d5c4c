import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The bytes uploaded as Function and Asset Versions, by SHA-256: a redeploy of unchanged files stores
 * nothing new. Kept in memory, and also in a folder when the sandbox persists its state, so a
 * deployment can be run again after a restart.
 */
export class ContentStore {
  private readonly memory = new Map<string, Buffer>();

  constructor(private readonly folder?: string) {}

  put(content: Buffer): string {
    const hash = createHash('sha256').update(content).digest('hex');
    if (!this.memory.has(hash)) {
      this.memory.set(hash, content);
      if (this.folder) {
        mkdirSync(this.folder, { recursive: true });
        const file = path.join(this.folder, hash);
        if (!existsSync(file)) writeFileSync(file, content);
      }
    }
    return hash;
  }

  get(hash: string): Buffer | undefined {
    const held = this.memory.get(hash);
    if (held || !this.folder) return held;
    const file = path.join(this.folder, hash);
    if (!/^[0-9a-f]{64}$/.test(hash) || !existsSync(file)) return undefined;
    const content = readFileSync(file);
    this.memory.set(hash, content);
    return content;
  }

  /** Forgets what is held in memory (a reset); files stay, named by their content. */
  clear(): void {
    this.memory.clear();
  }
}
