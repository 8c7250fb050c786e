// Kafka's verifiable producer and consumer print one JSON object per line (the events Kafka's own system
// tests read): the producer one per acknowledged or failed send, the consumer (--verbose) one per
// record read. Pure: what each line says, or null for anything else.
//   {"timestamp":1,"name":"producer_send_success","key":null,"value":"3","offset":7,"topic":"t","partition":0}
//   {"timestamp":1,"name":"producer_send_error","exception":"class ...TimeoutException","message":"...","topic":"t","key":null,"value":"4"}
//   {"timestamp":1,"name":"record_data","key":null,"value":"3","topic":"t","partition":0,"offset":7}

export type ProducerEvent =
  | { readonly kind: "acked"; readonly partition: number; readonly offset: number; readonly value: string }
  | { readonly kind: "failed"; readonly value: string; readonly error: string }
  | { readonly kind: "other"; readonly name: string };

export type ConsumerEvent = { readonly kind: "record"; readonly partition: number; readonly offset: number; readonly value: string } | { readonly kind: "other"; readonly name: string };

function json(line: string): Record<string, unknown> | null {
  const text = line.trim();
  if (!text.startsWith("{")) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function parseProducerLine(line: string): ProducerEvent | null {
  const o = json(line);
  if (!o || typeof o.name !== "string") return null;
  if (o.name === "producer_send_success") return { kind: "acked", partition: Number(o.partition), offset: Number(o.offset), value: String(o.value) };
  if (o.name === "producer_send_error") return { kind: "failed", value: String(o.value), error: `${String(o.exception ?? "")}: ${String(o.message ?? "")}` };
  return { kind: "other", name: o.name };
}

export function parseConsumerLine(line: string): ConsumerEvent | null {
  const o = json(line);
  if (!o || typeof o.name !== "string") return null;
  if (o.name === "record_data") return { kind: "record", partition: Number(o.partition), offset: Number(o.offset), value: String(o.value) };
  return { kind: "other", name: o.name };
}
