// The run's journal: hash-chained events, the record every report is derived from.
export { anchorOf, Journal, readJournal, verifyJournal, type JournalAnchor, type JournalClock, type JournalEvent } from "./journal";
