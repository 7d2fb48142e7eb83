import AssayCore
import AssayPricing
import Foundation

/// Parsing and extracting a generated 1 MB pricing page: a large table with the quirks real
/// pages have (footnotes, merged cells, tiers, several price formats) among filler prose.
/// Baselines measured in the same process: a plain byte scan for `<tr` (the memory floor) and
/// libxml2's parse alone (the parser floor).
@main
struct PricingParse {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        func value(_ flag: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.endIndex else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let targetBytes = value("--bytes", 1_000_000), repeats = value("--repeats", 10)
        let (page, models) = generate(bytes: targetBytes)
        print("page: \(page.count) bytes, \(models) priced models")
        let spec = HTMLExtractorSpec(
            table: "//table[@id='api-prices']", headerRows: 2, model: "Model", tier: "Context",
            columns: ["input": ["Standard Input"], "cached_input": ["Cached input"], "output": ["Standard Output"],
                      "batch_input": ["Batch Input"], "batch_output": ["Batch Output"]])
        let extractor = HTMLExtractor(spec: spec, provider: "bench")

        var scanTimes: [Double] = [], parseTimes: [Double] = [], extractTimes: [Double] = []
        var rows = 0, observations = 0
        for _ in 0..<repeats {
            var start = ContinuousClock.now
            rows = scan(page)
            scanTimes.append(seconds(start.duration(to: .now)))
            start = ContinuousClock.now
            try HTMLExtractor.parseOnly(html: page, url: "bench")
            parseTimes.append(seconds(start.duration(to: .now)))
            start = ContinuousClock.now
            let read = try extractor.extract(html: page, url: "bench")
            extractTimes.append(seconds(start.duration(to: .now)))
            observations = read.observations.count
            precondition(read.layoutProblem == nil, "the generated page must match its extractor")
        }
        let scanMedian = median(scanTimes), parseMedian = median(parseTimes), extractMedian = median(extractTimes)
        print("median of \(repeats) runs:")
        print(String(format: "  baseline: byte scan for <tr (%d rows)        %8.2f ms", rows, scanMedian * 1000))
        print(String(format: "  baseline: libxml2 parse alone                 %8.2f ms   %5.1f× scan", parseMedian * 1000, parseMedian / scanMedian))
        print(String(format: "  parse + extract (%d prices)               %8.2f ms   %5.1f× scan, %4.2f× parse", observations,
                     extractMedian * 1000, extractMedian / scanMedian, extractMedian / parseMedian))
    }

    static func generate(bytes: Int) -> (page: [UInt8], models: Int) {
        var html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Generated pricing</title>
            <script>var config = {"price": "$9 / MTok"};</script></head><body><h1>Pricing</h1>
            <table id="api-prices"><thead>
            <tr><th rowspan="2">Model</th><th rowspan="2">Context</th><th colspan="3">Standard</th><th colspan="2">Batch</th></tr>
            <tr><th>Input</th><th>Cached input</th><th>Output</th><th>Input</th><th>Output</th></tr></thead><tbody>

            """
        var models = 0
        let prose = "<p>Prices are per million tokens. Long prompts are billed at the higher tier for the whole request; "
            + "cached input is billed when a prompt prefix was seen in the last five minutes.</p>\n"
        while html.utf8.count < bytes * 7 / 10 {
            let n = models
            switch n % 4 {
            case 0:
                html += "<tr><td rowspan=\"2\">Model \(n)<sup>\(n % 3 + 1)</sup></td><td>≤200K</td><td>$\(n % 7 + 1) / MTok</td>"
                    + "<td>$0.\(n % 9 + 1)0 / MTok</td><td>$\(n % 13 + 5) / MTok</td><td>$1.50</td><td>$7.50</td></tr>\n"
                    + "<tr><td>&gt;200K</td><td>$\(n % 7 + 2) / MTok</td><td>$0.\(n % 9 + 1)5 / MTok</td><td>$\(n % 13 + 9).50 / MTok</td><td>—</td><td>—</td></tr>\n"
            case 1:
                html += "<tr><td>Model \(n)*</td><td>all</td><td>0.\(n % 90 + 10)$ / 1M tokens</td><td>n/a</td><td>1.\(n % 90 + 10)$ / 1M tokens</td><td></td><td></td></tr>\n"
            case 2:
                html += "<tr><td>Model \(n) [2]</td><td>all</td><td>€0,\(n % 90 + 10)</td><td>€0,0\(n % 9 + 1)</td><td>€1,\(n % 90 + 10)</td><td>-</td><td>-</td></tr>\n"
            default:
                html += "<tr><td>Model \(n)</td><td>all</td><td>$0.000\(n % 9 + 1) / 1K tokens</td><td>Free</td><td>$0.00\(n % 9 + 1) / 1K tokens</td><td>Free</td><td>Free</td></tr>\n"
            }
            models += 1
        }
        html += "</tbody></table>\n"
        while html.utf8.count < bytes - 40 { html += prose }
        html += "</body></html>\n"
        return (Array(html.utf8), models)
    }

    /// Counts `<tr` in the bytes: the cost of touching every byte once.
    static func scan(_ bytes: [UInt8]) -> Int {
        var count = 0
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            while i + 2 < buffer.count {
                if buffer[i] == 0x3C, buffer[i + 1] | 0x20 == 0x74, buffer[i + 2] | 0x20 == 0x72 { count += 1 }
                i += 1
            }
        }
        return count
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
