/// Checks the keys that belong to code items (`tests`, `entry_point`, `buggy`) at load time.
enum CodeItemChecker {
    static func check(_ map: YAMLMapping, item: YAMLValue, grader: GraderSpec) {
        guard case .pythonTests = grader else {
            for key in ["tests", "entry_point"] where map[key] != nil {
                map[key]?.error("'\(key)' only applies to the python-tests grader (this suite uses \(grader.typeName))")
            }
            return
        }
        guard let testsValue = map.required("tests", hint: "hidden Python tests: def test_…(): with assert"),
              let tests = testsValue.string() else { return }
        if SuiteItem(id: "", prompt: "", answer: .null, tests: tests).testNames.isEmpty {
            testsValue.error("no test functions: write at least one top-level 'def test_name():'")
        }
        if map["reference"] == nil {
            item.warning("no 'reference' solution: validation cannot check the tests and the simulator cannot answer correctly")
        }
        if let entry = map["entry_point"]?.string(), let reference = map["reference"]?.scalarText,
           !reference.contains("def \(entry)") && !reference.contains("class \(entry)") {
            map["reference"]?.error("the reference does not define the entry point '\(entry)'")
        }
    }
}
