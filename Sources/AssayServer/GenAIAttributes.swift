/// The span attribute names Assay sets: the OpenTelemetry GenAI semantic conventions (as of
/// semantic-conventions 1.44: `gen_ai.provider.name` replaced the deprecated `gen_ai.system`),
/// the HTTP ones it needs, and Assay's own `assay.*` for the routing decision. Never the prompt,
/// the answer or a key.
enum GenAIAttributes {
    static let operationName = "gen_ai.operation.name"
    static let providerName = "gen_ai.provider.name"
    static let requestModel = "gen_ai.request.model"
    static let requestMaxTokens = "gen_ai.request.max_tokens"
    static let requestTemperature = "gen_ai.request.temperature"
    static let requestStream = "gen_ai.request.stream"
    static let responseModel = "gen_ai.response.model"
    static let responseFinishReasons = "gen_ai.response.finish_reasons"
    static let inputTokens = "gen_ai.usage.input_tokens"
    static let outputTokens = "gen_ai.usage.output_tokens"
    static let cacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens"
    static let errorType = "error.type"
    static let httpStatus = "http.response.status_code"
    static let httpRoute = "http.route"

    /// The operation every routed request is: a chat completion (both ingress formats).
    static let chat = "chat"

    static let routeTask = "assay.route.task"
    static let routeTaskSource = "assay.route.task_source"
    static let routeEntry = "assay.route.entry"
    static let routeReason = "assay.route.reason"
    static let routeObjective = "assay.route.objective"
    static let routeCandidates = "assay.route.candidates"
    static let routeFallbacks = "assay.route.fallbacks"
    static let catalogSha256 = "assay.catalog.sha256"
    static let costNanodollars = "assay.cost.nanodollars"
    static let attemptIndex = "assay.attempt.index"
    static let client = "assay.client"
}
