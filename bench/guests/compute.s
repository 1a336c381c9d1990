; compute: a tight loop of ALU, load and store work at CPL 0, no privileged instruction.
        .entry  start
        .ifndef N
        .equ    N, 1000000
        .endif
start:  mov     sp, 0x9000
        mov     r1, N
        mov     r2, 0x4000
        mov     r3, 1
loop:   add     r3, 7
        xor     r4, r3
        st      [r2], r4
        ld      r5, [r2]
        mul     r5, 3
        sub     r1, 1
        jnz     loop
        mov     r0, 0
        out     0xf4, r0
