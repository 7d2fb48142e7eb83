@testable import AssayCatalog
@testable import AssayCatalogFormat
import AssayCore
import AssayStore
import Foundation
import Testing

@Suite("Catalog HTML")
struct CatalogHTMLTests {
    /// One model+effort on `task`: item i scores 1 when a fixed hash of (model, effort, i) falls
    /// under `quality`; each answer costs `cost` nano-USD. The first `errors` items fail.
    func facts(_ provider: String, _ model: String, _ effort: String, task: String, quality: Double, cost: Int64,
               items: Int = 60, errors: Int = 0, latency: Int = 900, reasoning: Int = 0) -> [SampleFact] {
        (0..<items).map { index in
            let failed = index < errors
            var hash: UInt64 = 1_469_598_103_934_665_603
            for byte in "\(task)|\(index)".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            // Items share difficulty across models (the hash ignores the model), so stronger
            // entries mostly solve a superset of what weaker ones solve: realistic pairing.
            let difficulty = Double(hash % 10_000) / 10_000
            let score: Double? = failed ? nil : (difficulty < quality ? 1 : 0)
            return SampleFact(provider: provider, model: model, effort: effort, task: task, suite: "\(task)-suite",
                              itemKey: "i\(index)", status: failed ? .error : .ok, score: score,
                              usage: Usage(inputTokens: 1_200, outputTokens: 150 + reasoning, reasoningTokens: reasoning + (index * 13) % 50),
                              costNusd: failed ? 0 : cost, latencyMs: latency + (index * 37) % 400)
        }
    }

    func build(_ facts: [SampleFact], margin: Double = 0.03) -> CatalogDocument {
        CatalogBuilder(margin: margin, prices: [:], now: Date(timeIntervalSince1970: 1_795_000_000)).build(facts: facts)
    }

    /// Several models and efforts across two tasks, costs from nothing to a few cents.
    var realistic: CatalogDocument {
        var all: [SampleFact] = []
        for (task, shift) in [("extraction", 0.0), ("math-reasoning", -0.18)] {
            func add(_ provider: String, _ model: String, _ effort: String, _ quality: Double, _ cost: Int64,
                     errors: Int = 0, latency: Int = 900, reasoning: Int = 0) {
                all += facts(provider, model, effort, task: task, quality: quality + shift, cost: cost, items: 200,
                             errors: errors, latency: latency, reasoning: reasoning)
            }
            add("openai", "gpt-5", "minimal", 0.80, 1_800_000, reasoning: 40)
            add("openai", "gpt-5", "low", 0.88, 4_200_000, latency: 2_100, reasoning: 600)
            add("openai", "gpt-5", "medium", 0.93, 9_500_000, latency: 3_800, reasoning: 1_900)
            add("openai", "gpt-5", "high", 0.95, 21_000_000, latency: 7_900, reasoning: 4_700)
            add("openai", "gpt-5-mini", "low", 0.78, 450_000, reasoning: 500)
            add("openai", "gpt-5-mini", "medium", 0.86, 1_100_000, latency: 1_900, reasoning: 1_600)
            add("openai", "gpt-5-mini", "high", 0.92, 2_600_000, latency: 4_200, reasoning: 4_100)
            add("anthropic", "claude-sonnet-4", "none", 0.84, 6_000_000, latency: 1_400)
            add("anthropic", "claude-sonnet-4", "high", 0.94, 30_000_000, errors: 3, latency: 9_000, reasoning: 3_300)
            add("google", "gemini-2.5-flash", "none", 0.74, 120_000, latency: 600)
            add("google", "gemini-2.5-flash", "low", 0.83, 380_000, latency: 1_000, reasoning: 700)
            add("local", "llama-3.1-8b", "none", 0.55, 0, latency: 2_500)
        }
        all += facts("sim", "nano", "none", task: "extraction", quality: 0.45, cost: 9_000, items: 200)
        return build(all, margin: 0.05)
    }

    /// A small document with a zero-cost entry and a model name that needs escaping.
    var tricky: CatalogDocument {
        build(facts("sim", "<evil>&", "low", task: "t", quality: 0.9, cost: 1_000, items: 30)
            + facts("sim", "free", "none", task: "t", quality: 0.7, cost: 0, items: 30)
            + facts("sim", "big", "low", task: "t", quality: 0.85, cost: 40_000, items: 30)
            + facts("sim", "big", "high", task: "t", quality: 0.97, cost: 200_000, items: 30)
            + facts("sim", "big", "high", task: "u", quality: 0.9, cost: 200_000, items: 30))
    }

    func occurrences(of needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The SVG elements of the page, with the text of titles and labels removed: only markup and
    /// coordinates remain.
    func svgMarkup(_ html: String) -> [String] {
        html.components(separatedBy: "<svg").dropFirst().map { chunk in
            var svg = String(chunk.components(separatedBy: "</svg>")[0])
            for tag in ["title", "text"] {
                var stripped = ""
                var rest = Substring(svg)
                while let open = rest.range(of: "<\(tag)") {
                    stripped += rest[..<open.lowerBound]
                    guard let close = rest.range(of: "</\(tag)>", range: open.upperBound..<rest.endIndex) else { rest = ""; break }
                    rest = rest[close.upperBound...]
                }
                svg = stripped + rest
            }
            return svg
        }
    }

    @Test("the page is self-contained: no network references")
    func selfContained() {
        for document in [realistic, tricky] {
            let html = CatalogHTML.render(document)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(!html.contains("src=\"http"))
            #expect(!html.contains("href=\"http"))
            #expect(!html.contains("http://"))
            #expect(!html.contains("https://"))
            #expect(!html.contains("@import"))
            #expect(!html.contains("url("))
            #expect(html.contains("<style>") && html.contains("<script>"))
        }
    }

    @Test("one chart and one table per task, every entry named, the header filled in")
    func structure() {
        let document = realistic
        let html = CatalogHTML.render(document)
        #expect(document.tasks.count == 2)
        #expect(occurrences(of: "<svg", in: html) == document.tasks.count)
        #expect(occurrences(of: "<table", in: html) == document.tasks.count)
        #expect(html.contains(document.generatedAt))
        #expect(html.contains(String(document.contentSha256.prefix(16))))
        #expect(!html.contains(document.contentSha256), "only the first 16 characters of the hash")
        #expect(html.contains(Format.points(document.margin)))
        for section in document.tasks {
            #expect(html.contains(">\(section.task)</h2>"))
            if let pick = section.pick {
                #expect(html.contains("\(pick.model) @ \(pick.effort)"))
            }
            for entry in section.entries {
                #expect(html.contains(CatalogHTML.escape(entry.model)))
                #expect(html.contains("\(entry.model)@\(entry.effort) · quality"), "a tooltip per point")
            }
        }
        #expect(html.contains("$0.001") && html.contains("$0.0001"), "dollar tick labels")
        #expect(html.contains("class=\"frontier\""))
        #expect(html.contains("class=\"effort\""))
        #expect(html.contains("class=\"pickring\""))
        #expect(html.contains("no price"))
    }

    @Test("model names and other document text are escaped")
    func escaping() {
        let html = CatalogHTML.render(tricky)
        #expect(!html.contains("<evil>"))
        #expect(!html.contains("<evil>&"))
        #expect(html.contains("sim/&lt;evil&gt;&amp;"))
        #expect(CatalogHTML.escape("a\"b'c") == "a&quot;b&#39;c")
    }

    @Test("a zero-cost entry is clamped to the axis, with a note, and no NaN or infinity in the SVG")
    func zeroCost() throws {
        let document = tricky
        let section = try #require(document.section("t"))
        #expect(section.entries.contains { $0.costPerTaskNusd == 0 && $0.quality != nil })
        let html = CatalogHTML.render(document)
        let svgs = svgMarkup(html)
        #expect(svgs.count == 2)
        for svg in svgs {
            #expect(!svg.lowercased().contains("nan"))
            #expect(!svg.lowercased().contains("inf"))
        }
        #expect(html.contains("Cost $0 cannot go on a log axis"))
        #expect(html.contains("sim/free@none"))
    }

    @Test("a task whose entries all cost nothing, or have no quality, still draws finite charts")
    func degenerate() {
        let document = build(facts("sim", "a", "none", task: "t", quality: 0.5, cost: 0, items: 10)
            + facts("sim", "b", "none", task: "t", quality: 0.5, cost: 0, items: 10, errors: 10))
        let html = CatalogHTML.render(document)
        #expect(occurrences(of: "<svg", in: html) == 1)
        for svg in svgMarkup(html) {
            #expect(!svg.lowercased().contains("nan"))
            #expect(!svg.lowercased().contains("inf"))
        }
        #expect(html.contains("not plotted"))
    }

    @Test("tick labels are plain dollars")
    func ticks() {
        #expect(CatalogHTML.Chart.tickLabel(-5) == "$0.00001")
        #expect(CatalogHTML.Chart.tickLabel(-3) == "$0.001")
        #expect(CatalogHTML.Chart.tickLabel(-1) == "$0.1")
        #expect(CatalogHTML.Chart.tickLabel(0) == "$1")
        #expect(CatalogHTML.Chart.tickLabel(2) == "$100")
    }

    /// `ASSAY_WRITE_HTML=/tmp/catalog.html swift test --filter CatalogHTML` writes a sample page
    /// to look at.
    @Test("writes a sample page when ASSAY_WRITE_HTML is set")
    func writeSample() throws {
        guard let path = ProcessInfo.processInfo.environment["ASSAY_WRITE_HTML"], !path.isEmpty else { return }
        try CatalogHTML.render(realistic).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
