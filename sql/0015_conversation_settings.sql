-- Answer settings of a conversation (the product plan's use_rag,
-- max_context_chunks, min_similarity, temperature, and the model when the
-- operator allows several). Null: the server's default at the time of the
-- question (SEARCH_TOP_K, no floor, LLM_TEMPERATURE, ANTHROPIC_MODEL), so a
-- changed default reaches every conversation that did not choose.
alter table conversations
  add column use_rag boolean not null default true,
  add column max_context_chunks smallint check (max_context_chunks between 1 and 50),
  add column min_similarity real check (min_similarity >= 0 and min_similarity <= 1),
  add column temperature real check (temperature >= 0 and temperature <= 1),
  add column model text check (length(model) between 1 and 100);
