import AssayCatalog
import AssayCatalogFormat
import AssayRouter
import Testing

@Suite("Task inference")
struct TaskInferenceTests {
    @Test("auto:<task> names the task; the header is used when the model does not")
    func namedTask() throws {
        let snapshot = try RouterFixture.snapshot()
        let prompt = RouterFixture.extraction(3)
        let byModel = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto:math", taskHeader: "extraction"))
        #expect(byModel.task == "math" && byModel.taskSource == "model" && byModel.taskConfidence == 1)
        let byHeader = try snapshot.decide(RouteRequest(prompt: prompt, model: "auto", taskHeader: "math"))
        #expect(byHeader.task == "math" && byHeader.taskSource == "header")
    }

    static let unknown: [(model: String?, header: String?)] = [("auto:poetry", nil), (nil, "poetry")]

    @Test("an unknown task is an error listing the known ones", arguments: unknown)
    func unknownTask(model: String?, header: String?) throws {
        let snapshot = try RouterFixture.snapshot()
        #expect {
            try snapshot.decide(RouteRequest(prompt: "Write a sonnet", model: model, taskHeader: header))
        } throws: { error in
            let routing = error as? RoutingError
            return routing?.code == .unknownTask && routing?.message.contains("known tasks: extraction, math") == true
        }
    }

    @Test("the classifier labels prompts it was not trained on")
    func classifierOnHeldOutPrompts() throws {
        let snapshot = try RouterFixture.snapshot()
        let unseen = (100..<130).flatMap { i in
            [(RouterFixture.addition(i), "math"), (RouterFixture.geometry(i), "math"), (RouterFixture.extraction(i), "extraction")]
        }
        var correct = 0
        for (prompt, task) in unseen {
            let decision = try snapshot.decide(RouteRequest(prompt: prompt))
            #expect(decision.taskSource == "classifier")
            if decision.task == task { correct += 1 }
        }
        #expect(Double(correct) / Double(unseen.count) >= 0.95, "\(correct) of \(unseen.count)")
    }

    @Test("the classifier's confidence is a probability, higher on a clear prompt than on an empty one")
    func confidence() throws {
        let snapshot = try RouterFixture.snapshot()
        let clear = try snapshot.decide(RouteRequest(prompt: RouterFixture.extraction(200)))
        let empty = try snapshot.decide(RouteRequest(prompt: ""))
        #expect(clear.taskConfidence > 0.9 && clear.taskConfidence <= 1)
        #expect(empty.taskConfidence < clear.taskConfidence)
    }
}
