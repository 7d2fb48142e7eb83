import AssayCore

/// Decides whether one model's newly read prices from one source may be applied, or must wait
/// for `assay prices approve`. Pure: the database hands it what it needs.
///
/// Every price is measured against its **anchor**, the last approved price for that model,
/// dimension, tier and currency from the same source, never against the price in force: a
/// small move is applied but does not move the anchor, so ten 4% moves under a 10% threshold
/// are held back once they add up past 10%.
struct PriceReview {
    /// No scraped source has an approved price yet: the first scrape is applied as it reads,
    /// apart from zero prices.
    var bootstrap: Bool
    /// The source has an approved price for some model.
    var sourceKnown: Bool
    var factor: Double

    struct HoldBack: Equatable {
        var kind: String
        var message: String
    }

    func holdBack(_ observations: [PriceObservation], current: [PriceRecord],
                  anchors: [PriceObservation.Key: PriceRecord]) -> HoldBack? {
        var jumps: [String] = []
        var fresh: [PriceObservation] = []
        for observation in observations {
            guard let anchor = anchors[observation.key] else {
                fresh.append(observation)
                continue
            }
            let (a, b) = (Double(anchor.nusdPerMtok), Double(observation.nanosPerMTok))
            let moved = a == b ? 1 : (a == 0 || b == 0) ? Double.infinity : max(a / b, b / a)
            if moved > factor {
                let times = moved.isFinite ? Money.fixed(moved, digits: 2) + "×" : "from or to zero"
                jumps.append("\(observation.label) \(Self.rate(anchor.nusdPerMtok, anchor.currency)) → "
                    + "\(Self.rate(observation.nanosPerMTok, observation.currency)) (\(times))")
            }
        }
        if !jumps.isEmpty {
            return HoldBack(kind: "jump", message: "price moved more than the \(Self.factorText(factor))× allowed from its last "
                + "approved price: " + jumps.joined(separator: "; "))
        }
        if !fresh.isEmpty {
            let listed = fresh.map { "\($0.label) \(Self.rate($0.nanosPerMTok, $0.currency))" }.joined(separator: ", ")
            let zeros = fresh.filter { $0.nanosPerMTok == 0 }
            if bootstrap {
                if !zeros.isEmpty {
                    return HoldBack(kind: "zero", message: "a first price of zero needs approval: "
                        + zeros.map { "\($0.label) \(Self.rate(0, $0.currency))" }.joined(separator: ", "))
                }
            } else {
                let what = !sourceKnown ? "a new source (no price from it was approved before)"
                    : anchors.isEmpty ? "a new model for this source" : "a new price dimension for this model"
                let zeroNote = zeros.isEmpty ? "" : "; includes a price of zero"
                return HoldBack(kind: "new", message: "\(what): \(listed)\(zeroNote)")
            }
        }
        let keys = Set(observations.map(\.key))
        let missing = current.filter { !keys.contains($0.key) }.map(\.key).sorted()
        if !missing.isEmpty {
            let labels = missing.map { PriceObservation.label(dimension: $0.dimension, min: $0.tierMin < 0 ? nil : $0.tierMin,
                                                               max: $0.tierMax == Int.max ? nil : $0.tierMax) }
            return HoldBack(kind: "vanished", message: "no longer lists a price for " + labels.joined(separator: ", "))
        }
        return nil
    }

    static func rate(_ nanos: Int64, _ currency: String) -> String { PriceObservation.formatRate(nanos, currency: currency) }

    static func factorText(_ factor: Double) -> String { Money.fixed(factor, digits: factor.rounded() == factor ? 0 : 2) }
}
