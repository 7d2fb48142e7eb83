import AssayCore

/// Adds daily rollup rows up into a `TrafficReport`: the same sums whichever store the rows
/// come from (the SQLite file or the shared PostgreSQL store).
struct TrafficReportBuilder {
    let from: Int, to: Int, dimension: TrafficReport.Dimension
    private var dayNames: [Int: String] = [:], mixNames: [String: String] = [:]
    private var totals = Accumulator(), groups: [String: Accumulator] = [:], days: [String: Accumulator] = [:], mix: [String: Accumulator] = [:]

    init(from: Int, to: Int, by dimension: TrafficReport.Dimension) {
        (self.from, self.to, self.dimension) = (from, to, dimension)
    }

    /// Adds one rollup row (`''` for what its requests did not have).
    mutating func add(_ part: Accumulator, day: Int, client: String, task: String, model: String, effort: String, endpoint: String) {
        let dayName = dayNames[day] ?? { let name = TrafficDatabase.dayText(day); dayNames[day] = name; return name }()
        let name = switch dimension {
        case .day: dayName
        case .key: client.isEmpty ? "(no key)" : client
        case .task: task.isEmpty ? "(none)" : task
        case .model: model.isEmpty ? "(none)" : model
        case .endpoint: endpoint
        }
        let mixKey = model + "@" + effort
        let mixName = mixNames[mixKey] ?? {
            let name = model.isEmpty ? "unrouted" : EntryKey(model: model, effort: effort.isEmpty ? "none" : effort).description
            mixNames[mixKey] = name
            return name
        }()
        totals.merge(part)
        groups[name, default: Accumulator()].merge(part)
        days[dayName, default: Accumulator()].merge(part)
        mix[mixName, default: Accumulator()].merge(part)
    }

    var report: TrafficReport {
        let sortedGroups = groups.map { TrafficReport.Group(name: $0.key, figures: $0.value.figures) }
            .sorted { dimension == .day ? $0.name < $1.name : ($0.figures.spendNusd, $1.name) > ($1.figures.spendNusd, $0.name) }
        return TrafficReport(fromDay: TrafficDatabase.dayText(from), toDay: TrafficDatabase.dayText(to), dimension: dimension,
                             totals: totals.figures, groups: sortedGroups,
                             days: (from...max(from, to)).prefix(3_660).map { day in
                                 let name = TrafficDatabase.dayText(day)
                                 return TrafficReport.Group(name: name, figures: (days[name] ?? Accumulator()).figures)
                             },
                             decisionMix: mix.map { .init(name: $0.key, figures: $0.value.figures) }
                                .sorted { ($0.figures.requests, $1.name) > ($1.figures.requests, $0.name) })
    }
}
