using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace UpmDurable.Cli;

/// <summary>
/// A JSON file given to the CLI: read, syntax-checked (an error names the line and column) and indexed so that a field
/// the service refuses (<c>target.resources[0].type</c>) can be shown with its line.
/// </summary>
internal sealed class JsonInputFile
{
    readonly Dictionary<string, int> lines;

    JsonInputFile(string path, string text, Dictionary<string, int> lines)
    {
        Path = path;
        Text = text;
        this.lines = lines;
    }

    public string Path { get; }

    public string Text { get; }

    /// <summary>Reads and checks a file; a missing file or bad JSON throws <see cref="CliUsageException"/>.</summary>
    public static JsonInputFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"{path}: cannot read: {ex.Message}");
        }

        try
        {
            if (JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) is not JsonObject)
            {
                throw new CliUsageException($"{path}:1:1: a change request is a JSON object");
            }
        }
        catch (JsonException ex)
        {
            long line = (ex.LineNumber ?? 0) + 1;
            long column = (ex.BytePositionInLine ?? 0) + 1;
            throw new CliUsageException($"{path}:{line}:{column}: invalid JSON: {FirstSentence(ex.Message)}");
        }

        return new JsonInputFile(path, text, Index(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The line of a field path as the service names it, or of its nearest enclosing field when it is absent.</summary>
    public int? LineOf(string field)
    {
        for (string path = field; path.Length > 0; path = Parent(path))
        {
            if (lines.TryGetValue(path, out int line))
            {
                return line;
            }
        }

        return null;
    }

    static string Parent(string path)
    {
        int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }

    // Walks the tokens keeping the path of the current value: "a.b[2].c" -> line of its property name (or array item).
    static Dictionary<string, int> Index(byte[] utf8)
    {
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        int counted = 0, line = 1;
        int LineAt(long index)
        {
            for (; counted < index; counted++)
            {
                if (utf8[counted] == (byte)'\n')
                {
                    line++;
                }
            }

            return line;
        }

        string ValuePath(long tokenStart)
        {
            if (frames.Count == 0)
            {
                return string.Empty;
            }

            Frame top = frames[^1];
            if (!top.IsArray)
            {
                return top.Next;
            }

            string path = $"{top.Path}[{top.Items++}]";
            found.TryAdd(path, LineAt(tokenStart));
            return path;
        }

        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    Frame parent = frames[^1];
                    parent.Next = parent.Path.Length == 0 ? reader.GetString()! : $"{parent.Path}.{reader.GetString()}";
                    found.TryAdd(parent.Next, LineAt(reader.TokenStartIndex));
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    frames.Add(new Frame(ValuePath(reader.TokenStartIndex), reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    frames.RemoveAt(frames.Count - 1);
                    break;
                default:
                    ValuePath(reader.TokenStartIndex);
                    break;
            }
        }

        return found;
    }

    static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }

    sealed class Frame(string path, bool isArray)
    {
        public string Path { get; } = path;

        public bool IsArray { get; } = isArray;

        public int Items { get; set; }

        public string Next { get; set; } = path;
    }
}
