namespace Threadbook.Processes;

/// <summary>One row of Python's <c>multiprocessing.Array</c> type-code table and the C# type Threadbook uses for it.</summary>
/// <param name="Code">The type code, e.g. <c>'i'</c>.</param>
/// <param name="CType">The ctypes type Python uses, e.g. <c>ctypes.c_int</c>.</param>
/// <param name="CSharpType">The element type of the <see cref="SharedArray{T}"/> to use.</param>
/// <param name="Note">What differs, or the size.</param>
public sealed record SharedArrayTypeCode(char Code, string CType, Type CSharpType, string Note);
