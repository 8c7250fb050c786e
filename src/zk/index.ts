// ZooKeeper clients: the recording client and the four-letter words.
export { CreateMode, errorKind, ZkClient } from "./client";
export { fourLetter, NOT_SERVING, parseMntr, parseSrvr, srvr, type Endpoint, type FourLetterWord, type ServerStatus } from "./four-letter";
