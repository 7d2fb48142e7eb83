/// The commented example `assay init` writes. Tests parse it, so it always loads.
package enum ConfigTemplate {
    package static let text = """
        # assay.yaml — what Assay measures and where it keeps the results (docs/config.md).
        # Unknown keys and wrong types are errors reported with their line numbers.

        database: results/assay.sqlite   # SQLite file; overridden by --database
        suites: suites                   # folder of suite YAML files (suites/<task>/<name>.yaml)
        catalog: catalog                 # where 'assay catalog build' writes catalog.json and CATALOG.md

        # Providers speak a wire format ('type'): openai (OpenAI, OpenRouter, DeepSeek, Together,
        # Groq, vLLM, llama.cpp, Assay's simulator), anthropic (the Messages API) or gemini.
        # API keys are read from the environment variable named by api_key_env, never from this file.
        providers:
          sim:
            type: openai
            base_url: http://127.0.0.1:8089/v1   # 'assay simulate --port 8089' serves this
            timeout_seconds: 60
            max_retries: 3
            # stream: true       # streamed answers, so each sample stores its time to first token
            # rpm: 600           # requests per minute; tpm: tokens per minute
            # concurrency: 8     # requests in flight; halves after a 429, creeps back as requests succeed
          # openrouter:
          #   type: openai
          #   base_url: https://openrouter.ai/api/v1
          #   api_key_env: OPENROUTER_API_KEY
          #   effort_param: reasoning                   # sends reasoning: {effort: ...}
          # openai:
          #   type: openai
          #   base_url: https://api.openai.com/v1
          #   api_key_env: OPENAI_API_KEY
          #   max_tokens_field: max_completion_tokens   # reasoning models reject max_tokens
          # anthropic:
          #   type: anthropic                           # the Messages API; efforts become thinking budgets
          #                                             # (effort_param: output_config for models that take output_config.effort)
          #   base_url: https://api.anthropic.com/v1
          #   api_key_env: ANTHROPIC_API_KEY
          # gemini:
          #   type: gemini                              # generateContent; efforts become thinkingBudget
          #                                             # (effort_param: thinking_level for Gemini 3)
          #   base_url: https://generativelanguage.googleapis.com/v1beta
          #   api_key_env: GEMINI_API_KEY

        # Efforts every model is measured at unless it lists its own: none, minimal, low, medium, high, xhigh.
        efforts: [low, medium, high]

        # Models as provider/model. Prices are USD per 1M tokens, written as decimal text;
        # cached_input and cache_write default to the input price, reasoning to the output price.
        models:
          - id: sim/finch-mini
            efforts: [minimal, low, medium, high]
            # supported_efforts: [low, high]   # efforts the model accepts; others are skipped with a note
            price: {input: "0.10", cached_input: "0.025", output: "0.40"}
          - id: sim/heron-pro
            price: {input: "1.25", cached_input: "0.125", output: "10.00"}
          - id: sim/condor-max
            price: {input: "15.00", cached_input: "1.50", output: "75.00"}

        run:
          concurrency: 16      # requests in flight at once
          epochs: 1            # times each item is asked (more epochs: tighter intervals)
          max_tokens: 16384    # per request, reasoning included
          # budget_usd: "5.00" # stop sending requests once this much has been spent

        catalog_options:
          margin: 0.02         # 'catalog best' picks the cheapest entry within 2 points of the best
          min_quality: 0.3     # no pick for a task unless an entry's 95% interval clears 30%

        # Where 'assay prices scrape' learns prices (docs/pricing.md). A page that stops matching its
        # extractor, a price moving more than max_change_factor either way, or a model gone from its
        # page is quarantined until 'assay prices approve'.
        pricing:
          max_change_factor: 5
          sources:
            - name: sim-page
              type: html                      # html, openrouter or litellm
              url: http://127.0.0.1:8089/pricing
              extractor: simulator            # built-in: simulator, anthropic, anthropic-batch, deepseek
              provider: sim
            # - name: anthropic-page
            #   url: https://docs.anthropic.com/en/docs/about-claude/pricing
            #   extractor: anthropic
            # - name: acme-page                 # an extractor declared inline: no code for a new page
            #   url: https://acme.example/pricing
            #   provider: acme
            #   extractor:
            #     table: "//table[contains(@class, 'api-prices')]"
            #     header_rows: 2                # header text is joined across these rows
            #     model: Model                  # the header of the column naming the model
            #     tier: Context                 # optional: a column holding ≤200K / >200K
            #     columns: {input: Standard Input, cached_input: Cached input, output: Standard Output}
            #     unit: per_1m                  # per_1m, per_1k or per_token, unless a cell says
            #     currency: USD                 # for cells without a symbol
            # - name: openrouter
            #   type: openrouter
            #   url: https://openrouter.ai/api/v1/models
            # - name: litellm
            #   type: litellm
            #   file: model_prices_and_context_window.json

        """
}
