package io.govip.cli;

/** How a client command prints its answer: for people, or for scripts. */
public enum OutputFormat {
    TEXT, JSON
}
