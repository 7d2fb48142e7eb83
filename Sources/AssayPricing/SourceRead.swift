import AssayCore
import AssayStore

/// What reading one source's content found, before it is compared with stored prices.
public struct SourceRead: Sendable {
    public var observations: [PriceObservation] = []
    /// Set when the content no longer matches what the source's reader expects.
    public var layoutProblem: String?
    /// Rows, entries or fields skipped, each naming where and why.
    package var warnings: [String] = []
    /// Entries deliberately not imported, by reason (`mode embedding`), with counts.
    package var skipped: [String: Int] = [:]
    /// Entries read (rows, models, map entries): each is imported, rejected or skipped.
    public var entries = 0
    /// Entries whose prices were taken.
    package var imported = 0
    /// Entries left out with a warning saying why.
    package var rejected = 0
    /// What the source says about models besides prices (OpenRouter: created, context, parameters).
    public var models: [ModelInfo] = []

    public init() {}

    /// Adds `observation` unless the same model, dimension and tier was read already; a
    /// disagreeing repeat is reported.
    /// Records an entry left out, with why.
    mutating func reject(_ warning: String) {
        warnings.append(warning)
        rejected += 1
    }

    /// Takes one entry's observations; an entry naming a model another entry already priced is
    /// counted as skipped (a disagreeing price is also reported).
    mutating func take(_ entry: [PriceObservation], from place: String, seen: inout [ModelRef: [PriceObservation.Key: Int64]]) {
        if let model = entry.first?.model, seen[model] != nil {
            skipped["another entry names the same model", default: 0] += 1
        } else {
            imported += 1
        }
        for observation in entry { add(observation, from: place, seen: &seen) }
    }

    mutating func add(_ observation: PriceObservation, from place: String, seen: inout [ModelRef: [PriceObservation.Key: Int64]]) {
        if let earlier = seen[observation.model]?[observation.key] {
            if earlier != observation.nanosPerMTok {
                warnings.append("\(place): \(observation.model) \(observation.label) is listed again with another price "
                    + "(\(PriceObservation.formatRate(observation.nanosPerMTok, currency: observation.currency))); kept the first "
                    + "(\(PriceObservation.formatRate(earlier, currency: observation.currency)))")
            }
            return
        }
        seen[observation.model, default: [:]][observation.key] = observation.nanosPerMTok
        observations.append(observation)
    }
}

/// Several extractors read over one page, their findings merged: the page matches when any of
/// them finds prices.
public struct MultiExtractor: Sendable {
    public var extractors: [HTMLExtractor]

    public func extract(html bytes: [UInt8], url: String) throws -> SourceRead {
        var merged = SourceRead()
        var problems: [String] = []
        var seen: [ModelRef: [PriceObservation.Key: Int64]] = [:]
        for extractor in extractors {
            let read = try extractor.extract(html: bytes, url: url)
            if let problem = read.layoutProblem {
                problems.append(problem)
                continue
            }
            merged.entries += read.entries
            merged.warnings += read.warnings
            for observation in read.observations { merged.add(observation, from: url, seen: &seen) }
        }
        if merged.observations.isEmpty {
            merged.layoutProblem = problems.first.map { problems.count > 1 ? $0 + " (and \(problems.count - 1) other layouts tried)" : $0 }
                ?? "\(url): no prices found"
        }
        return merged
    }
}
