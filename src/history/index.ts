// The operation history: every client call with invoke and completion, the truth the checks read.
export { readHistory, verifyHistory } from "./file";
export { eachHistoryLine, readOperations, type RecordedHistory } from "./stream";
export { DEFINITE_FAILURES, lastAckedWrite, operations, WRITE_KINDS, zxidOf, type CompletionEvent, type HistoryEvent, type InvokeEvent, type Operation, type OpKind, type ProcessEvent, type ProcessId } from "./model";
export { HistoryRecorder, monoNow, type CompletionFields, type HistoryAnchor, type InvokeFields } from "./recorder";
export { decodeValue, encodeValue, SET_PREFIX, SET_ROOT, valueInName } from "./values";
export { baseName, counterValue, countOf, RECIPE_PATHS, RECIPES, RECIPES_ROOT, sequenceOf, type Recipe } from "./recipes";
