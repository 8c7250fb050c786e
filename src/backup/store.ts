// Where backups go. A directory for now; an object store (S3, GCS, a replicated bucket as in
// P3 (docs/procedures.md)) implements the same three calls.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface BackupStore {
  /** Where it is, for the journal (a path, a bucket URL). */
  readonly location: string;
  put(name: string, data: Buffer): Promise<void>;
  get(name: string): Promise<Buffer>;
  list(prefix?: string): Promise<string[]>;
}

const SAFE_NAME = /^[A-Za-z0-9._-]+$/;

export class DirectoryStore implements BackupStore {
  constructor(readonly location: string) {
    mkdirSync(location, { recursive: true });
  }

  private path(name: string): string {
    if (!SAFE_NAME.test(name)) throw new Error(`backup name ${JSON.stringify(name)}: use letters, digits, dot, dash and underscore only`);
    return join(this.location, name);
  }

  async put(name: string, data: Buffer): Promise<void> {
    writeFileSync(this.path(name), data, { flag: "wx" }); // never overwrite a backup
  }

  async get(name: string): Promise<Buffer> {
    return readFileSync(this.path(name));
  }

  async list(prefix = ""): Promise<string[]> {
    return readdirSync(this.location)
      .filter((n) => n.startsWith(prefix))
      .sort();
  }
}
