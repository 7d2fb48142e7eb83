/// The JSON Schema (draft 2020-12) of `catalog.json`, written beside it as `catalog.schema.json`
/// so any consumer can validate a catalog without Assay. Tests validate built catalogs against it.
package enum CatalogSchema {
    package static let text = #"""
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "https://assay.dev/schemas/catalog-v3.json",
      "title": "Assay catalog",
      "description": "Quality per dollar of model+effort entries per task. Money is integer nano-USD (1 USD = 1e9).",
      "type": "object",
      "required": ["schema_version", "generated_at", "content_sha256", "margin", "confidence", "tasks"],
      "additionalProperties": false,
      "properties": {
        "schema_version": {"const": 3},
        "generated_at": {"type": "string", "format": "date-time"},
        "content_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "margin": {"type": "number", "minimum": 0, "maximum": 1},
        "confidence": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "min_quality": {"type": "number", "minimum": 0, "maximum": 1},
        "tasks": {"type": "array", "items": {"$ref": "#/$defs/task"}},
        "router": {"$ref": "#/$defs/router"}
      },
      "$defs": {
        "nusd": {"type": "integer", "minimum": 0},
        "interval": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        "nusd_interval": {"type": "array", "items": {"$ref": "#/$defs/nusd"}, "minItems": 2, "maxItems": 2},
        "sparse_vector": {
          "type": "object", "required": ["buckets", "values"], "additionalProperties": false,
          "properties": {
            "buckets": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "values": {"type": "array", "items": {"type": "number"}}
          }
        },
        "router": {
          "type": "object",
          "required": ["features", "documents", "document_frequency", "classifier", "tasks", "prices"],
          "additionalProperties": false,
          "properties": {
            "features": {
              "type": "object", "required": ["buckets", "char_ngrams", "word_ngrams", "max_bytes"], "additionalProperties": false,
              "properties": {
                "buckets": {"type": "integer", "minimum": 1},
                "char_ngrams": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                "word_ngrams": {"type": "integer", "minimum": 0},
                "max_bytes": {"type": "integer", "minimum": 1}
              }
            },
            "documents": {"type": "integer", "minimum": 0},
            "document_frequency": {"$ref": "#/$defs/sparse_vector"},
            "classifier": {
              "type": "object", "required": ["alpha", "classes"], "additionalProperties": false,
              "properties": {
                "alpha": {"type": "number", "exclusiveMinimum": 0},
                "temperature": {"type": "number", "exclusiveMinimum": 0},
                "classes": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["task", "documents", "feature_counts"], "additionalProperties": false,
                    "properties": {
                      "task": {"type": "string"},
                      "documents": {"type": "integer", "minimum": 1},
                      "feature_counts": {"$ref": "#/$defs/sparse_vector"}
                    }
                  }
                }
              }
            },
            "tasks": {
              "type": "array",
              "items": {
                "type": "object", "required": ["task", "items"], "additionalProperties": false,
                "properties": {
                  "task": {"type": "string"},
                  "items": {
                    "type": "array",
                    "items": {
                      "type": "object", "required": ["key"], "additionalProperties": false,
                      "properties": {"key": {"type": "string"}, "signature": {"$ref": "#/$defs/sparse_vector"}}
                    }
                  },
                  "estimator": {"$ref": "#/$defs/prompt_logistic"}
                }
              }
            },
            "prices": {
              "type": "array",
              "items": {
                "type": "object", "required": ["model", "input_nusd_per_mtok", "cached_input_nusd_per_mtok"],
                "additionalProperties": false,
                "properties": {
                  "model": {"type": "string"},
                  "input_nusd_per_mtok": {"$ref": "#/$defs/nusd"},
                  "cached_input_nusd_per_mtok": {"$ref": "#/$defs/nusd"}
                }
              }
            },
            "context_windows": {
              "type": "array",
              "items": {
                "type": "object", "required": ["model", "context_tokens"], "additionalProperties": false,
                "properties": {
                  "model": {"type": "string"},
                  "context_tokens": {"type": "integer", "minimum": 1}
                }
              }
            },
            "estimator": {
              "type": "object", "required": ["name", "tasks", "reason"], "additionalProperties": false,
              "properties": {
                "name": {"enum": ["prompt-logistic"]},
                "tasks": {"type": "array", "items": {"type": "string"}},
                "reason": {"type": "string"}
              }
            },
            "recalibration": {
              "type": "array",
              "items": {
                "type": "object",
                "required": ["estimator", "predicted", "observed", "pairs", "brier_before", "brier_after"],
                "additionalProperties": false,
                "properties": {
                  "estimator": {"enum": ["nearest-items", "prompt-logistic", "task-quality"]},
                  "predicted": {"type": "array", "minItems": 1, "items": {"type": "number", "minimum": 0, "maximum": 1}},
                  "observed": {"type": "array", "minItems": 1, "items": {"type": "number", "minimum": 0, "maximum": 1}},
                  "pairs": {"type": "integer", "minimum": 0},
                  "brier_before": {"type": "number"},
                  "brier_after": {"type": "number"}
                }
              }
            }
          }
        },
        "prompt_logistic": {
          "type": "object",
          "required": ["bias", "weights", "ridge", "entries", "brier", "constant_brier", "items"],
          "additionalProperties": false,
          "properties": {
            "bias": {"type": "number"},
            "weights": {"type": "array", "items": {"type": "number"}},
            "ridge": {"type": "number", "exclusiveMinimum": 0},
            "entries": {
              "type": "array",
              "items": {
                "type": "object", "required": ["entry", "intercept", "slope"], "additionalProperties": false,
                "properties": {"entry": {"type": "string"}, "intercept": {"type": "number"}, "slope": {"type": "number"}}
              }
            },
            "brier": {"type": "number", "minimum": 0},
            "constant_brier": {"type": "number", "minimum": 0},
            "items": {"type": "integer", "minimum": 1},
            "table_check": {
              "type": "object", "required": ["quality_difference", "cost_ratio"], "additionalProperties": false,
              "properties": {
                "quality_difference": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3},
                "cost_ratio": {"type": "number", "minimum": 0}
              }
            }
          }
        },
        "item_scores": {
          "type": "string", "pattern": "^([0-9]+:(0|1)(\\.[0-9]{1,4})?( [0-9]+:(0|1)(\\.[0-9]{1,4})?)*)?$"
        },
        "entry_ref": {
          "type": "object", "required": ["model", "effort"], "additionalProperties": false,
          "properties": {"model": {"type": "string"}, "effort": {"type": "string"}}
        },
        "task": {
          "type": "object",
          "required": ["task", "suites", "items", "frontier", "effort_curves", "entries"],
          "additionalProperties": false,
          "properties": {
            "task": {"type": "string"},
            "suites": {"type": "array", "items": {"type": "string"}},
            "items": {"type": "integer", "minimum": 0},
            "best": {"$ref": "#/$defs/entry_ref"},
            "pick": {
              "type": "object", "required": ["model", "effort", "reason"], "additionalProperties": false,
              "properties": {"model": {"type": "string"}, "effort": {"type": "string"}, "reason": {"type": "string"},
                             "certified": {"type": "boolean"},
                             "probability_within_margin": {"type": "number", "minimum": 0, "maximum": 1}}
            },
            "no_pick_reason": {"type": "string"},
            "frontier": {"type": "array", "items": {"$ref": "#/$defs/entry_ref"}},
            "effort_curves": {"type": "array", "items": {"$ref": "#/$defs/effort_curve"}},
            "entries": {"type": "array", "items": {"$ref": "#/$defs/entry"}}
          }
        },
        "effort_curve": {
          "type": "object", "required": ["model", "points"], "additionalProperties": false,
          "properties": {
            "model": {"type": "string"},
            "saturation_effort": {"type": "string"},
            "points": {
              "type": "array",
              "items": {
                "type": "object", "required": ["effort", "quality", "cost_per_task_nusd"], "additionalProperties": false,
                "properties": {
                  "effort": {"type": "string"},
                  "quality": {"type": "number", "minimum": 0, "maximum": 1},
                  "cost_per_task_nusd": {"$ref": "#/$defs/nusd"}
                }
              }
            }
          }
        },
        "comparison": {
          "type": "object", "required": ["shared_items", "mean_difference", "difference_ci"], "additionalProperties": false,
          "properties": {
            "shared_items": {"type": "integer", "minimum": 1},
            "mean_difference": {"type": "number", "minimum": -1, "maximum": 1},
            "difference_ci": {"$ref": "#/$defs/interval"},
            "items_to_settle": {"type": "integer", "minimum": 0}
          }
        },
        "entry": {
          "type": "object",
          "required": ["model", "effort", "n", "items", "epochs", "errors", "error_rate", "cost_per_task_nusd",
                       "cost_per_task_usd", "cost_per_task_as_run_nusd", "input_tokens_mean", "output_tokens_mean",
                       "reasoning_tokens_mean", "measured_at", "age_days", "price_changed", "stale_suite_version",
                       "within_margin", "priced"],
          "additionalProperties": false,
          "properties": {
            "model": {"type": "string", "pattern": "^[^/]+/.+$"},
            "effort": {"type": "string"},
            "n": {"type": "integer", "minimum": 0},
            "items": {"type": "integer", "minimum": 0},
            "epochs": {"type": "integer", "minimum": 0},
            "errors": {"type": "integer", "minimum": 0},
            "error_rate": {"type": "number", "minimum": 0, "maximum": 1},
            "quality": {"type": "number", "minimum": 0, "maximum": 1},
            "quality_ci": {"$ref": "#/$defs/interval"},
            "verdict": {"enum": ["best", "non-inferior", "inferior", "undecided"]},
            "comparison": {"$ref": "#/$defs/comparison"},
            "cost_per_task_nusd": {"$ref": "#/$defs/nusd"},
            "cost_per_task_usd": {"type": "string", "pattern": "^\\$"},
            "cost_per_task_ci_nusd": {"$ref": "#/$defs/nusd_interval"},
            "cost_per_solved_nusd": {"$ref": "#/$defs/nusd"},
            "cost_per_solved_ci_nusd": {"$ref": "#/$defs/nusd_interval"},
            "cost_per_task_as_run_nusd": {"$ref": "#/$defs/nusd"},
            "input_tokens_mean": {"type": "number", "minimum": 0},
            "output_tokens_mean": {"type": "number", "minimum": 0},
            "reasoning_tokens_mean": {"type": "number", "minimum": 0},
            "latency_ms_p50": {"type": "integer", "minimum": 0},
            "latency_ms_p95": {"type": "integer", "minimum": 0},
            "measured_at": {"type": "string", "format": "date-time"},
            "age_days": {"type": "number", "minimum": 0},
            "price_changed": {"type": "boolean"},
            "stale_suite_version": {"type": "boolean"},
            "within_margin": {"type": "boolean"},
            "priced": {"type": "boolean"},
            "item_scores": {"$ref": "#/$defs/item_scores"},
            "tests_passed_share": {"type": "number", "minimum": 0, "maximum": 1},
            "probability_within_margin": {"type": "number", "minimum": 0, "maximum": 1}
          }
        }
      }
    }
    """#
}
