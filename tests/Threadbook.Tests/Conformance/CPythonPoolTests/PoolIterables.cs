namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>The iterables of CPython's pool tests that fail while the pool reads them.</summary>
internal static class PoolIterables
{
    /// <summary>Python's <c>exception_throwing_generator(total, when)</c>: yields 0, 1, … and raises at <paramref name="when"/> (at once for -1).</summary>
    public static IEnumerable<int> ExceptionThrowingGenerator(int total, int when)
    {
        if (when == -1)
        {
            throw new SayWhenException("Somebody said when");
        }

        for (var i = 0; i < total; i++)
        {
            if (i == when)
            {
                throw new SayWhenException("Somebody said when");
            }

            yield return i;
        }
    }

    /// <summary>Python's <c>SpecialIterable</c>: claims one item (<c>__len__</c>) and raises on the first <c>next</c>.</summary>
    public static IReadOnlyCollection<int> SpecialIterable() => new OneItemThatRaises();

    private sealed class OneItemThatRaises : IReadOnlyCollection<int>, IEnumerator<int>
    {
        public int Count => 1;

        public int Current => throw new InvalidOperationException("never positioned");

        object System.Collections.IEnumerator.Current => Current;

        public IEnumerator<int> GetEnumerator() => this;

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => this;

        public bool MoveNext() => throw new SayWhenException("Somebody said when");

        public void Reset()
        {
        }

        public void Dispose()
        {
        }
    }
}
