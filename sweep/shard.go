package sweep

import "fmt"

// shardOf normalizes the shard options.
func shardOf(opt Options) (k, n int, err error) {
	k, n = opt.Shard, opt.Shards
	if n <= 0 {
		n, k = 1, 0
	}
	if k < 0 || k >= n {
		return 0, 0, fmt.Errorf("sweep: shard %d/%d: the shard number must be from 0 to %d", k, n, n-1)
	}
	return k, n, nil
}

// shardSize is the number of points i < points with i mod n == k.
func shardSize(points, k, n int) int {
	if k >= points {
		return 0
	}
	return (points - k + n - 1) / n
}
