import AssayCore

/// Grades the number a response commits to against the expected number.
enum NumericGrader {
    static func grade(_ response: String, expected: JSONValue, tolerance: Double) -> Grade {
        guard let target = expected.numberValue ?? NumberExtractor.parse(expected.scalarText ?? "") else {
            return .fail("the suite's answer is not a number")
        }
        guard let found = NumberExtractor.extract(response) else {
            return .fail("no number in the response '\(excerpt(response))'")
        }
        let expectedText = expected.scalarText ?? "\(target)"
        if abs(found - target) <= tolerance {
            return .pass("\(format(found)) matches \(expectedText)")
        }
        return .fail("\(format(found)) is not \(expectedText)")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
