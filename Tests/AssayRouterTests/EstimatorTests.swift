import AssayCatalog
import AssayCatalogFormat
import AssayRouter
import Testing

/// The nearest-items estimator (forced: the fixture's catalog also ships a learned one for math,
/// tested in LearnedEstimatorTests).
@Suite("Per-request estimates")
struct EstimatorTests {
    static func nearest(_ options: RouterOptions = RouterOptions()) -> RouterOptions {
        var options = options
        options.estimator = .nearestItems
        // The estimator's own formula; the catalog's recalibration map on top is RecalibrationTests'.
        options.recalibrate = false
        return options
    }

    func estimate(_ snapshot: RouterSnapshot, _ prompt: String, entry: String) throws -> Double {
        let decision = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", objective: .best,
                                                        excluded: Set(["sim/big", "sim/mid", "sim/small"].filter { $0 != entry })))
        #expect(decision.model == entry)
        return decision.estimatedQuality
    }

    @Test("near items move a candidate's estimate away from its task quality, toward its scores on them")
    func nearestItems() throws {
        let snapshot = try RouterFixture.snapshot(Self.nearest())
        let addition = try estimate(snapshot, RouterFixture.addition(300), entry: "sim/small")
        let geometry = try estimate(snapshot, RouterFixture.geometry(300), entry: "sim/small")
        // small solves every addition and no geometry item: 50% over the task.
        #expect(addition > 0.75, "addition \(addition)")
        #expect(geometry < 0.25, "geometry \(geometry)")
    }

    @Test("a heavier prior shrinks the estimate toward the task quality")
    func shrinkage() throws {
        let light = try estimate(RouterFixture.snapshot(Self.nearest(RouterOptions(priorWeight: 0.5))), RouterFixture.addition(300), entry: "sim/small")
        let heavy = try estimate(RouterFixture.snapshot(Self.nearest(RouterOptions(priorWeight: 1_000))), RouterFixture.addition(300), entry: "sim/small")
        #expect(light > heavy)
        #expect(abs(heavy - 0.5) < 0.01, "with a prior of 1,000 items the estimate stays at the task's 50%: \(heavy)")
    }

    @Test("without near items the estimate is the task quality")
    func noNeighbours() throws {
        let snapshot = try RouterFixture.snapshot(Self.nearest(RouterOptions(neighbours: 0)))
        let decision = try snapshot.decide(RouteRequest(prompt: RouterFixture.geometry(1), model: "auto:math", objective: .best,
                                                        excluded: ["sim/big", "sim/mid"]))
        #expect(decision.neighbours == 0 && decision.estimatedQuality == decision.taskQuality)
    }

    @Test("a model added to the catalog without item scores is routable at once, at its task quality")
    func newModel() throws {
        var document = RouterFixture.document()
        let math = try #require(document.tasks.firstIndex { $0.task == "math" })
        var newcomer = try #require(document.tasks[math].entries.first { $0.model == "sim/small" })
        newcomer.model = "sim/newcomer"
        newcomer.quality = 0.99
        newcomer.itemScores = nil
        document.tasks[math].entries.append(newcomer)
        let snapshot = try RouterSnapshot(document: document)
        let decision = try snapshot.decide(RouteRequest(prompt: RouterFixture.geometry(300), model: "auto:math"))
        #expect(decision.model == "sim/newcomer", "\(decision.reason)")
        // Its task quality, through the catalog's recalibration map (math uses the learned
        // estimator here, which gives an entry without a curve its task quality, flat).
        #expect(decision.neighbours == 0 && abs(decision.estimatedQuality - 0.99) < 0.05, "\(decision.estimatedQuality)")
    }
}
