using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadbook.Interactive;

/// <summary>
/// Reads a C# cell the way the kernel will compile it (as a script) so a magic can rewrite it: find the value
/// the cell ends with (a last expression without a semicolon) and tell statements from bare expressions.
/// </summary>
internal static class CellCode
{
    private static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>
    /// Splits <paramref name="code"/> into what comes before its final value expression and that expression, or
    /// returns null for the expression when the cell does not end with one.
    /// </summary>
    public static (string Before, string? Value) SplitTrailingValue(string code)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        if (root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
        {
            return (code[..last.SpanStart], last.Expression.ToString());
        }

        return (code, null);
    }

    /// <summary>
    /// Turns the body of a cell into statements that can go inside a lambda: a bare expression that C# does not
    /// accept as a statement (such as <c>x + 1</c>) is kept as a discarded value.
    /// </summary>
    public static string AsStatements(string code)
    {
        var (before, value) = SplitTrailingValue(code);
        if (value is null)
        {
            return code;
        }

        var expression = SyntaxFactory.ParseExpression(value);
        var isStatement = expression is InvocationExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax
            or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax
            or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }
            or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression };
        return before + (isStatement ? $"{value};" : $"_ = ({value});");
    }
}
