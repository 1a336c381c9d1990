; The user programs, at CPL 3. They reach the kernel only through int 0x80 and live in
; pages of their own, the only low pages marked U. Their heap and stack (USER_BASE to
; USER_TOP) start unmapped: the first touch of each page is a demand-zero page fault.

        .align  4096
user_code:

        .macro SYSCALL n
        mov     r0, \n
        int     0x80
        .endm

; u_line: prints prefix r1, number r2 (in decimal) and suffix r3 as one write, built in
; the task's own heap page
u_line: push    r4
        mov     r4, USER_BASE
        call    u_copy
        push    r3
        call    u_dec
        pop     r1
        call    u_copy
        mov     r2, r4
        mov     r1, USER_BASE
        sub     r2, r1
        SYSCALL SYS_WRITE
        pop     r4
        ret

; u_copy: appends string r1 at r4
u_copy: ldb     r0, [r1]
        cmp     r0, 0
        jz      u_copied
        stb     [r4], r0
        add     r1, 1
        add     r4, 1
        jmp     u_copy
u_copied:
        ret

; u_dec: appends number r2 in decimal at r4 (digits built backwards on the stack page)
u_dec:  mov     r1, USER_BASE + 256
u_digit:
        sub     r1, 1
        mov     r3, r2
        div     r2, 10
        mov     r0, r2
        mul     r0, 10
        sub     r3, r0
        add     r3, '0'
        stb     [r1], r3
        cmp     r2, 0
        jnz     u_digit
u_dec_copy:
        ldb     r0, [r1]
        stb     [r4], r0
        add     r4, 1
        add     r1, 1
        cmp     r1, USER_BASE + 256
        jb      u_dec_copy
        ret

; u_spin: r1 = iterations of an empty loop, so the timer preempts us
u_spin: sub     r1, 1
        jnz     u_spin
        ret

; A: counts, and is preempted while it spins
        .ifndef A_STEPS
        .equ    A_STEPS, 5              ; the lines task A prints (-D A_STEPS=N for a longer run)
        .endif
task_a: mov     r4, 1
a_step: mov     r1, a_msg
        mov     r2, r4
        mov     r3, u_nl
        call    u_line
        mov     r1, 700
        call    u_spin
        add     r4, 1
        cmp     r4, A_STEPS + 1
        jb      a_step
        mov     r1, 0
        SYSCALL SYS_EXIT

; B: asks for its pid and yields the processor
task_b: mov     r4, 3
b_step: SYSCALL SYS_GETPID
        mov     r2, r0
        mov     r1, b_msg
        mov     r3, b_yield
        call    u_line
        SYSCALL SYS_YIELD
        sub     r4, 1
        jnz     b_step
        mov     r1, 0
        SYSCALL SYS_EXIT

; C: fills four fresh heap pages (demand-zero) and sums what it wrote
task_c: mov     r4, USER_BASE + 4096
        mov     r5, 1
        mov     r6, 0
c_fill: st      [r4], r5
        add     r6, r5
        add     r4, 1024
        add     r5, 1
        cmp     r5, 17
        jb      c_fill
        mov     r1, c_msg
        mov     r2, r6
        mov     r3, u_nl
        call    u_line
        mov     r1, 7
        SYSCALL SYS_EXIT

a_msg:   .asciz "[A] step "
b_msg:   .asciz "[B] pid "
b_yield: .asciz ", yielding\n"
c_msg:   .asciz "[C] sum over 4 demand-zero pages = "
u_nl:    .asciz "\n"
        .align  4096
user_code_end:
