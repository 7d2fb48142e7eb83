import AssayCore
import AssayProviders
import Foundation

/// What an adapter adds per request on top of the network: parsing the provider's body and
/// normalising its usage, for a typical 1 KB answer in each format and for a streamed answer of
/// 500 chunks (SSE framing + per-chunk decode + accumulation). No I/O: the bytes are in memory.
/// Baseline, measured in the same run: a generic `JSONSerialization` parse of the same bytes.
@main
struct AdapterOverhead {
    static func main() throws {
        let rounds = 3
        print("adapter overhead per request (median µs over the iterations; \(rounds) rounds)")
        for round in 1...rounds {
            print("round \(round)")
            try plain("openai 1 KB", bytes: Bodies.openAI) { _ = try OpenAIDialect.answer(from: $0, latencyMs: 0, attempts: 1) }
            try plain("anthropic 1 KB", bytes: Bodies.anthropic) { _ = try AnthropicDialect.answer(from: $0, latencyMs: 0, attempts: 1) }
            try plain("gemini 1 KB", bytes: Bodies.gemini) { _ = try GeminiDialect.answer(from: $0, latencyMs: 0, attempts: 1) }
            try streamed()
        }
    }

    static func plain(_ name: String, bytes: [UInt8], iterations: Int = 4_000, _ parse: ([UInt8]) throws -> Void) throws {
        let data = Data(bytes)
        let baseline = try measure(iterations) { _ = try JSONSerialization.jsonObject(with: data) }
        let adapter = try measure(iterations) { try parse(bytes) }
        report(name, bytes: bytes.count, adapter: adapter, baseline: baseline)
    }

    static func streamed(iterations: Int = 200) throws {
        let stream = Bodies.openAIStream(chunks: 500)
        // Network-sized reads, as AsyncHTTPClient hands them over.
        let reads = stride(from: 0, to: stream.count, by: 1_400).map { Array(stream[$0..<min(stream.count, $0 + 1_400)]) }
        let baseline = try measure(iterations) {
            var parser = SSEParser()
            for read in reads {
                for payload in parser.feed(read) where payload != "[DONE]" {
                    _ = try JSONSerialization.jsonObject(with: Data(payload.utf8))
                }
            }
        }
        let framing = try measure(iterations) {
            var parser = SSEParser()
            var count = 0
            for read in reads { count += parser.feed(read).count }
            precondition(count == 503)
        }
        report("  of which SSE framing alone", bytes: stream.count, adapter: framing, baseline: baseline)
        var answer: StreamedAnswer?
        let adapter = try measure(iterations) {
            var parser = SSEParser()
            var decoder = OpenAIStreamDecoder()
            for read in reads {
                for payload in parser.feed(read) { _ = try decoder.consume(payload) { 0 } }
            }
            answer = try decoder.finish(partial: parser.hasPartialEvent)
        }
        precondition(answer?.usage.outputTokens == 500, "the stream decoded wrongly")
        report("openai stream, 500 chunks", bytes: stream.count, adapter: adapter, baseline: baseline)
    }

    static func measure(_ iterations: Int, _ body: () throws -> Void) throws -> [Double] {
        for _ in 0..<max(1, iterations / 10) { try body() }   // warm up
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let elapsed = try clock.measure(body)
            samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        return samples.sorted()
    }

    static func report(_ name: String, bytes: Int, adapter: [Double], baseline: [Double]) {
        func quantile(_ values: [Double], _ q: Double) -> Double { values[min(values.count - 1, Int(Double(values.count) * q))] }
        let ratio = quantile(adapter, 0.5) / quantile(baseline, 0.5)
        print(String(format: "  %-28@ %7d B  adapter p50 %8.1f µs  p99 %8.1f µs   baseline p50 %8.1f µs   ratio %.2f×",
                     name as NSString, bytes, quantile(adapter, 0.5), quantile(adapter, 0.99), quantile(baseline, 0.5), ratio))
    }
}

/// Bodies shaped like each provider's, about 1 KB, with every usage field filled in.
enum Bodies {
    static let answer = String(repeating: "The invoice total is 1,284.50 EUR, due on 14 March; the supplier is Nordlicht GmbH. ", count: 8)

    static let openAI = Array("""
        {"id":"chatcmpl-abc123","object":"chat.completion","created":1763900000,"model":"gpt-5-mini-2025-08-07",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"\(answer)","refusal":null,"annotations":[]},\
        "logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":412,"completion_tokens":517,"total_tokens":929,\
        "prompt_tokens_details":{"cached_tokens":256,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":320,\
        "audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default",\
        "system_fingerprint":null}
        """.utf8)

    static let anthropic = Array("""
        {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5",\
        "content":[{"type":"thinking","thinking":"Find the total, the date and the supplier.","signature":"EqQBCgIYAhIM"},\
        {"type":"text","text":"\(answer)"}],"stop_reason":"end_turn","stop_sequence":null,\
        "usage":{"input_tokens":156,"cache_creation_input_tokens":0,"cache_read_input_tokens":256,"output_tokens":517,\
        "service_tier":"standard"}}
        """.utf8)

    static let gemini = Array("""
        {"candidates":[{"content":{"parts":[{"text":"Find the total, the date and the supplier.","thought":true},\
        {"text":"\(answer)"}],"role":"model"},"finishReason":"STOP","index":0}],\
        "usageMetadata":{"promptTokenCount":412,"candidatesTokenCount":197,"totalTokenCount":929,"cachedContentTokenCount":256,\
        "thoughtsTokenCount":320,"promptTokensDetails":[{"modality":"TEXT","tokenCount":412}]},\
        "modelVersion":"gemini-2.5-flash","responseId":"abc123"}
        """.utf8)

    /// An OpenAI stream: 500 content chunks of one token each, a finish chunk, a usage chunk, [DONE].
    static func openAIStream(chunks: Int) -> [UInt8] {
        var text = ""
        let head = #"{"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1763900000,"model":"gpt-5-mini-2025-08-07","system_fingerprint":null,"#
        for index in 0..<chunks {
            text += "data: " + head + #""choices":[{"index":0,"delta":{"content":" tok\#(index)"},"logprobs":null,"finish_reason":null}]}"# + "\n\n"
        }
        text += "data: " + head + #""choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"# + "\n\n"
        text += "data: " + head + #""choices":[],"usage":{"prompt_tokens":412,"completion_tokens":500,"total_tokens":912,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}"# + "\n\n"
        text += "data: [DONE]\n\n"
        return Array(text.utf8)
    }
}
