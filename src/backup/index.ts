// Backups of the members' data and where they are kept.
export { restoreArchives, takeBackup, type Backup } from "./backup";
export { DirectoryStore, type BackupStore } from "./store";
