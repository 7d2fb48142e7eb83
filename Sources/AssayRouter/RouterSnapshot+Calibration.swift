import AssayCatalogFormat

extension RouterSnapshot {
    /// The catalog's recalibration maps by estimator, checked at load (docs/router.md, "Recalibration").
    struct Calibration: Sendable {
        let nearestItems: Recalibration?
        let promptLogistic: Recalibration?
        let taskQuality: Recalibration?

        init(_ maps: [Recalibration], enabled: Bool) throws(RouterLoadError) {
            var byName: [String: Recalibration] = [:]
            for (index, map) in maps.enumerated() {
                if let problem = map.problem {
                    throw RouterLoadError("router.recalibration[\(index)]: \(problem); rebuild the catalog with 'assay catalog build'")
                }
                guard byName.updateValue(map, forKey: map.estimator) == nil else {
                    throw RouterLoadError("router.recalibration[\(index)]: a second map for '\(map.estimator)'; rebuild the catalog "
                                          + "with 'assay catalog build'")
                }
            }
            nearestItems = enabled ? byName[Recalibration.Estimator.nearestItems.rawValue] : nil
            promptLogistic = enabled ? byName[Recalibration.Estimator.promptLogistic.rawValue] : nil
            taskQuality = enabled ? byName[Recalibration.Estimator.taskQuality.rawValue] : nil
        }

        /// Recalibrates a task's estimates in place: the learned estimator's through its map; nearest
        /// items' through theirs where a neighbour was scored (`used`), the task quality's elsewhere.
        func apply(_ estimates: inout [Double], used: [Int32], learned: Bool) {
            if learned {
                guard let map = promptLogistic else { return }
                for index in estimates.indices { estimates[index] = map.apply(estimates[index]) }
                return
            }
            guard nearestItems != nil || taskQuality != nil else { return }
            for index in estimates.indices {
                let map = index < used.count && used[index] > 0 ? nearestItems : taskQuality
                if let map { estimates[index] = map.apply(estimates[index]) }
            }
        }

        /// A task-level quality as the router reads it when nothing per-request is known.
        func taskQuality(_ quality: Double) -> Double { taskQuality?.apply(quality) ?? quality }
    }

    /// An entry's task quality through the catalog's `task-quality` map: what the router predicts
    /// for a candidate with no per-request signal.
    package func calibratedTaskQuality(_ quality: Double) -> Double { calibration.taskQuality(quality) }
}
