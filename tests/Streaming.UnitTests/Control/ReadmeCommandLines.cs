using System.Text;

namespace Streaming.UnitTests.Control;

/// <summary>
/// Finds the <c>control …</c>, <c>dotnet …/control.dll …</c> and <c>dotnet run --project tools/Control -- …</c>
/// command lines in the shell code blocks of markdown files, the way a reader would paste them into bash:
/// backslash continuations joined, comments dropped, quotes removed, leading VAR=value assignments skipped,
/// and the arguments cut at the first pipe, redirection or command separator.
/// </summary>
public static class ReadmeCommandLines
{
    private static readonly HashSet<string> ShellLanguages = new(StringComparer.OrdinalIgnoreCase) { "", "bash", "sh", "shell", "console", "zsh" };
    private static readonly HashSet<string> Separators = ["|", "||", "&&", ";", "&"];

    /// <summary>README.md at the repository root, every docs/*.md and every services/*/README.md.</summary>
    public static IReadOnlyList<string> DocumentedFiles(string repositoryRoot)
    {
        var files = new List<string> { Path.Combine(repositoryRoot, "README.md") };
        var docs = Path.Combine(repositoryRoot, "docs");
        if (Directory.Exists(docs))
            files.AddRange(Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetDirectories(Path.Combine(repositoryRoot, "services"))
            .Select(d => Path.Combine(d, "README.md"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal));
        return files;
    }

    public static IReadOnlyList<ReadmeCommandLine> InFile(string path, string repositoryRoot) =>
        Extract(File.ReadAllText(path), Path.GetRelativePath(repositoryRoot, path));

    public static IReadOnlyList<ReadmeCommandLine> Extract(string markdown, string source)
    {
        var found = new List<ReadmeCommandLine>();
        string? fence = null;
        var shellBlock = false;
        var pending = new StringBuilder();
        var pendingLine = 0;
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (fence is null)
            {
                if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
                {
                    fence = trimmed[..3];
                    shellBlock = ShellLanguages.Contains(trimmed[3..].Trim());
                }

                continue;
            }

            if (trimmed.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
                pending.Clear();
                continue;
            }

            if (!shellBlock) continue;
            if (pending.Length == 0) pendingLine = i + 1;
            if (trimmed.EndsWith('\\'))
            {
                pending.Append(trimmed[..^1]).Append(' ');
                continue;
            }

            pending.Append(trimmed);
            if (Invocation(Tokenize(pending.ToString())) is { } arguments)
                found.Add(new ReadmeCommandLine($"{source}:{pendingLine}", arguments));
            pending.Clear();
        }

        return found;
    }

    /// <summary>The arguments after the control executable, or null when the line does not run control.</summary>
    private static List<string>? Invocation(List<string> tokens)
    {
        var i = 0;
        while (i < tokens.Count && IsAssignment(tokens[i])) i++;
        if (i >= tokens.Count) return null;
        int start;
        if (IsControl(tokens[i]))
        {
            start = i + 1;
        }
        else if (tokens[i] == "dotnet" && i + 1 < tokens.Count && FileName(tokens[i + 1]) == "control.dll")
        {
            start = i + 2;
        }
        else if (tokens[i] == "dotnet" && i + 1 < tokens.Count && tokens[i + 1] == "run" && RunsControlProject(tokens, i + 2))
        {
            var dashes = tokens.IndexOf("--", i + 2);
            if (dashes < 0) return [];
            start = dashes + 1;
        }
        else
        {
            return null;
        }

        var arguments = new List<string>();
        for (var k = start; k < tokens.Count && !IsSeparatorOrRedirection(tokens[k]); k++)
            arguments.Add(tokens[k]);
        return arguments;
    }

    private static bool RunsControlProject(List<string> tokens, int from)
    {
        for (var k = from; k + 1 < tokens.Count && tokens[k] != "--"; k++)
        {
            if (tokens[k] is "--project" or "-p" && tokens[k + 1].TrimEnd('/').EndsWith("tools/Control", StringComparison.OrdinalIgnoreCase))
                return true;
        }

        return false;
    }

    private static bool IsControl(string token) => FileName(token) is "control" or "control.exe";

    private static string FileName(string token) => token[(token.LastIndexOf('/') + 1)..];

    private static bool IsAssignment(string token)
    {
        var equals = token.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && token[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(token[0]);
    }

    private static bool IsSeparatorOrRedirection(string token) =>
        Separators.Contains(token) || token.StartsWith('>') || token.StartsWith('<') || (token.Length >= 2 && char.IsAsciiDigit(token[0]) && token[1] == '>');

    /// <summary>Bash word splitting for what READMEs contain: quotes, backslash escapes, comments.</summary>
    public static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inToken) tokens.Add(current.ToString());
                current.Clear();
                inToken = false;
                continue;
            }

            if (c == '#' && !inToken) break;
            inToken = true;
            switch (c)
            {
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0) throw new FormatException($"Unclosed single quote in: {line}");
                    current.Append(line, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    for (i++; i < line.Length && line[i] != '"'; i++)
                    {
                        if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`') i++;
                        current.Append(line[i]);
                    }

                    if (i >= line.Length) throw new FormatException($"Unclosed double quote in: {line}");
                    break;
                case '\\' when i + 1 < line.Length:
                    current.Append(line[++i]);
                    break;
                case ';' or '|' or '&':
                    // An operator glued to a word ("a;b", "x|y") still ends the command.
                    if (current.Length > 0) tokens.Add(current.ToString());
                    current.Clear();
                    var op = new StringBuilder().Append(c);
                    while (i + 1 < line.Length && line[i + 1] is ';' or '|' or '&') op.Append(line[++i]);
                    tokens.Add(op.ToString());
                    inToken = false;
                    break;
                default:
                    current.Append(c);
                    break;
            }
        }

        if (inToken) tokens.Add(current.ToString());
        return tokens;
    }
}
