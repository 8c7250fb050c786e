import { expect } from "chai";
import { parseConsumerLine, parseProducerLine } from "./verifiable-lines";

describe("the verifiable producer's and consumer's JSON lines", () => {
  it("an acknowledged send names its partition, offset and value", () => {
    expect(parseProducerLine('{"timestamp":1795437193322,"name":"producer_send_success","key":null,"value":"7.0","offset":0,"topic":"t1","partition":0}')).to.deep.equal({ kind: "acked", partition: 0, offset: 0, value: "7.0" });
  });

  it("a failed send is not an acknowledgement", () => {
    const e = parseProducerLine('{"timestamp":1,"name":"producer_send_error","exception":"class org.apache.kafka.common.errors.TimeoutException","message":"Expiring 1 record(s)","topic":"t1","key":null,"value":"4"}');
    expect(e).to.deep.equal({ kind: "failed", value: "4", error: "class org.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s)" });
  });

  it("other events and non-JSON lines", () => {
    expect(parseProducerLine('{"timestamp":1,"name":"tool_data","sent":20,"acked":20}')).to.deep.equal({ kind: "other", name: "tool_data" });
    expect(parseProducerLine("SLF4J: Class path contains multiple SLF4J bindings.")).to.equal(null);
    expect(parseProducerLine("{not json")).to.equal(null);
  });

  it("the consumer's record_data (--verbose)", () => {
    expect(parseConsumerLine('{"timestamp":1795437200663,"name":"record_data","key":null,"value":"0","topic":"t1","partition":1,"offset":0}')).to.deep.equal({ kind: "record", partition: 1, offset: 0, value: "0" });
    expect(parseConsumerLine('{"timestamp":1,"name":"partitions_assigned","partitions":[]}')).to.deep.equal({ kind: "other", name: "partitions_assigned" });
  });
});
