//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "rolegraph",
    version,
    about = "Query a knowledge graph of leadership roles with openCypher",
    long_about = "Query a knowledge graph of leadership roles (CIO, CTO, CPO, ...) with a subset of openCypher \
                  plus DESCRIBE. With no query or file, opens an interactive shell on the built-in knowledge base.",
    after_help = "Examples:\n  rolegraph -e \"MATCH (r:Role) RETURN r.name ORDER BY r.name\"\n  rolegraph -e \"DESCRIBE CTO\"\n  rolegraph -f queries.cypher --format csv\n  rolegraph check queries.cypher\n\nExit codes: 0 ok, 1 query error, 2 usage error, 3 data error, 4 output could not be written (141: the reader of a pipe went away)."
)]
pub struct Args {
    /// Run this statement (repeatable; statements may also be separated by ';').
    #[arg(short = 'e', long = "execute", value_name = "QUERY")]
    pub execute: Vec<String>,

    /// Run the statements in FILE ('-' reads standard input).
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Vec<PathBuf>,

    /// Load the graph from DIR instead of the built-in knowledge base.
    #[arg(long, value_name = "DIR", global = true)]
    pub data: Option<PathBuf>,

    /// Start from an empty graph instead of the built-in knowledge base
    /// (to build one with CREATE, or to run what `export cypher` wrote)
    #[arg(long, conflicts_with_all = ["data", "connect"])]
    pub empty: bool,

    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value = "table", value_parser = ["table", "json", "jsonl", "csv", "markdown"])]
    pub format: String,

    /// Set a query parameter: name=value, the value a JSON or Cypher literal
    /// (anything else is taken as a string).
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE", global = true)]
    pub params: Vec<String>,

    /// Write each statement's result to DIR/N.EXT (N its number in the run,
    /// EXT the format's), instead of standard output; how CSV takes several
    /// statements.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,

    /// CSV: prefix text cells that start with =, +, -, @, a tab or a carriage
    /// return with ' so that a spreadsheet shows them instead of running them
    /// as formulas. Use it for CSV that will be opened in a spreadsheet.
    #[arg(long)]
    pub safe_csv: bool,

    /// How the shell lays out tables: table (wrapped at spaces), expanded
    /// (one field a line) or auto (expanded when a table does not fit).
    #[arg(long, value_name = "MODE", value_parser = ["table", "expanded", "auto"])]
    pub mode: Option<String>,

    /// When to use colour: auto (on a terminal, unless NO_COLOR is set),
    /// always or never.
    #[arg(long, value_name = "WHEN", default_value = "auto", value_parser = ["auto", "always", "never"], global = true)]
    pub color: String,

    /// Do not send long results in the shell through the pager ($PAGER,
    /// default less -FRX).
    #[arg(long)]
    pub no_pager: bool,

    /// Keep running a script after a failing statement (exit code is still 1).
    #[arg(long)]
    pub keep_going: bool,

    /// Run every statement of -e, -f and standard input as one unit: when
    /// one fails, the changes of all of them are taken back.
    #[arg(long, conflicts_with = "keep_going")]
    pub atomic: bool,

    /// Show how long each statement took (always shown on a terminal).
    #[arg(long)]
    pub timing: bool,

    /// Stop any statement that runs longer than this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// Stop any statement whose result grows past this many rows.
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,

    /// Stop any statement that needs more than SIZE of memory (e.g. 512M,
    /// 8G; off: no limit). Default: half of this machine's memory.
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,

    /// Stop any statement whose variable-length patterns follow more than N
    /// paths (off: no limit). Default: 10000000.
    #[arg(long, value_name = "N")]
    pub max_paths: Option<String>,

    /// Threads one statement may use (its scans, expands and aggregates run
    /// over morsels of their input). Default: one per core, up to 8.
    #[arg(long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Read no data file or script bigger than SIZE (e.g. 2G). Default:
    /// 256M for TOML data files and scripts, 4G for CSV data files.
    #[arg(long, value_name = "SIZE", global = true)]
    pub max_file_size: Option<String>,

    /// After the statements ran without error, write the graph into DIR as
    /// graph-data TOML (replacing its data files atomically); load it again
    /// with --data DIR.
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Keep the shell's history in FILE (default: $XDG_DATA_HOME/rolegraph/history).
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,

    /// Do not read or write the shell's history file.
    #[arg(long, conflicts_with = "history")]
    pub no_history: bool,

    /// Run on a live graph server instead of the in-memory graph:
    /// falkor://HOST:PORT/GRAPH (falkors:// for TLS; a cluster or Sentinel
    /// address works as is), or bolt://HOST:PORT[/DATABASE] and neo4j://
    /// (bolt+s://, neo4j+s:// for TLS) for Neo4j, Memgraph and other Bolt 5
    /// servers.
    #[cfg_attr(
        not(feature = "bolt"),
        doc = "Bolt is left out of this build: build with `cargo build --release --features bolt` (or `cargo install --path . --features bolt`) to have it."
    )]
    /// The password comes from ROLEGRAPH_PASSWORD or a prompt, never from
    /// the command line.
    #[arg(long, value_name = "URL", global = true)]
    pub connect: Option<String>,

    /// The user name to log in to the server with (--connect).
    #[arg(long, value_name = "NAME", global = true)]
    pub user: Option<String>,

    /// Trust the certificate authorities in FILE (PEM) for a TLS
    /// --connect (falkors://, bolt+s://, neo4j+s://), besides the system's.
    /// Default: ROLEGRAPH_CA_CERT.
    #[arg(long, value_name = "FILE", global = true)]
    pub ca_cert: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How a diagram looks: what `export` takes besides what to draw.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DiagramArgs {
    /// The diagram's title instead of the one it gives itself.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Leave source ids out of labels and footnotes (tooltips keep them).
    #[arg(long)]
    pub no_sources: bool,
    /// LR (left to right) or TB (top to bottom) instead of the diagram's own choice.
    #[arg(long, value_name = "LR|TB")]
    pub direction: Option<String>,
    /// Largest size, e.g. 13.33x7.5 (inches) or 1920x1080px; a larger drawing is scaled down.
    #[arg(long, value_name = "WxH")]
    pub size: Option<String>,
    /// Dots per inch of a PNG (and of --size in px; default 96).
    #[arg(long, value_name = "N")]
    pub dpi: Option<String>,
    /// The key under the title: none, compact (one line, the default) or full.
    #[arg(long, value_name = "none|compact|full")]
    pub legend: Option<String>,
    /// Write the diagram as dot, svg, png, pdf, mermaid, markdown (Mermaid in
    /// a code block) or html (a page with the SVG, facts and search); the
    /// default comes from the -o file's extension, else dot.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a completion script for SHELL (bash, zsh, fish, powershell,
    /// elvish), generated from these options.
    #[command(
        after_help = "Install, for example:\n  rolegraph completions bash > ~/.local/share/bash-completion/completions/rolegraph\n  rolegraph completions zsh > ~/.zfunc/_rolegraph     (with fpath+=~/.zfunc before compinit)\n  rolegraph completions fish > ~/.config/fish/completions/rolegraph.fish\n  rolegraph completions powershell >> $PROFILE"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from these options; with
    /// --dir, write rolegraph.1 and one page per subcommand into DIR.
    #[command(after_help = "Read it with: rolegraph man | man -l -")]
    Man {
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Parse and bind query files against the graph without running them
    /// (a lint for CI): reports syntax errors, unknown functions and
    /// variables as errors, unknown labels, types and keys as warnings.
    Check {
        /// Query files to check.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Write a diagram as Graphviz DOT, or with --render a picture drawn by
    /// Graphviz's dot: an overlap, a diff, a role matrix, a path, the org
    /// chart, or the result of a query.
    #[command(
        after_help = "Examples:\n  rolegraph export overlap chief-information-officer,CTO -o overlap.dot\n  rolegraph export overlap chief-information-officer,CTO,CPO -o overlap.svg\n  rolegraph export diff CTO,chief-innovation-officer --render png -o diff.png\n  rolegraph export matrix CTO,CPO,chief-information-officer -o matrix.svg\n  rolegraph export path CPO TO chief-executive-officer ALL\n  rolegraph export orgchart CTO\n  rolegraph export query \"MATCH p = (:Role)-[:REPORTS_TO]->() RETURN p\"\n  rolegraph export cypher -o graph.cypher\n  rolegraph export csv --neo4j import/\n  rolegraph export json -o graph.json\n  rolegraph export graphml -o graph.graphml\n  rolegraph export orgchart --format mermaid -o org.md\n  rolegraph export diff CTO,chief-innovation-officer -o diff.html\n  rolegraph export overlap CPO,CTO --title 'Who does what' --legend full --size 1920x1080px -o overlap.png\n\nThe extension of -o picks the format (.dot .svg .png .pdf .mmd .md .html); any other needs --format. Pictures and HTML pages need Graphviz's dot: without it they are refused (exit 1) with how to install it, and nothing is written."
    )]
    Export {
        /// What to draw: overlap, diff, matrix, path, orgchart or query; or the whole
        /// graph as cypher, json, graphml or csv (with --neo4j DIR).
        #[arg(value_name = "WHAT")]
        what: String,
        /// Its arguments: references separated by commas (overlap, diff, matrix; then
        /// optionally ON TYPE|TYPE), '<ref> TO <ref> [VIA TYPE|TYPE] [ALL]'
        /// (path), an optional root (orgchart), a statement (query).
        #[arg(value_name = "ARGS")]
        args: Vec<String>,
        /// Write to FILE (through a temporary file renamed into place)
        /// instead of standard output; the extension says what to write (.dot, .svg,
        /// .png, .pdf, .mmd, .md, .html; any other is refused without --format).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Draw a picture with Graphviz's dot instead of writing DOT (also --format).
        #[arg(long, value_name = "FORMAT", value_parser = ["svg", "png", "pdf"])]
        render: Option<String>,
        /// With `export csv`: write Neo4j admin-import CSV files into DIR.
        #[arg(long, value_name = "DIR")]
        neo4j: Option<PathBuf>,
        #[command(flatten)]
        diagram: DiagramArgs,
    },
    /// Load a local graph (the built-in one, or --data DIR) into the server
    /// given by --connect: indexes on `id` first, then batches of nodes and
    /// relationships, with a progress bar and a summary.
    #[command(
        after_help = "Examples:\n  ROLEGRAPH_PASSWORD=... rolegraph push --connect falkor://127.0.0.1:6379/roles\n  rolegraph push --connect falkor://db:6379/org --data graph-data/ --replace"
    )]
    Push {
        /// Delete what the server's graph holds before loading.
        #[arg(long)]
        replace: bool,
    },
    /// Write the graph of the server given by --connect into DIR as
    /// graph-data files, which --data DIR loads.
    #[command(after_help = "Example:\n  rolegraph pull --connect falkor://127.0.0.1:6379/roles -o roles-data/")]
    Pull {
        /// The directory to write (created if missing).
        #[arg(short = 'o', long = "output", value_name = "DIR", required = true)]
        output: PathBuf,
    },
    /// Time queries on the graph given by --data (load and queries measured
    /// separately, in one process) and write the peer benchmarks' JSON.
    #[command(
        after_help = "Example:\n  rolegraph --data data/100000 bench --queries queries.json --runs 10 --warmup 1 --out rolegraph.json\n\nThe queries file is a JSON list of {id, title, text, ordered}; benches/peers/run_rolegraph.sh writes it."
    )]
    Bench {
        /// JSON file of the queries: [{"id", "title", "text", "ordered"}].
        #[arg(long, value_name = "FILE")]
        queries: PathBuf,
        /// Timed runs per query (fewer, at least 3, if they would take over a minute).
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Untimed runs per query before the timed ones (at least 1).
        #[arg(long, default_value_t = 1)]
        warmup: usize,
        /// Write the JSON to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The scale recorded as "n" (default: meta.json's n in the data directory).
        #[arg(long)]
        n: Option<u64>,
        /// Ids of queries whose row order counts (besides those marked ordered).
        #[arg(long, value_delimiter = ',', value_name = "IDS")]
        ordered: Vec<String>,
    },
}
